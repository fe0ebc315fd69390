#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>The cart-pole model on the target: one step against the equations, and energy conservation.</summary>
    [TestClass]
    public class ModelDeviceTests
    {
        [TestMethod]
        public void OneEulerStepFromRestHanging_FollowsTheEquationsOfMotion()
        {
            // Hanging at rest (theta = pi: sin 0, cos -1) with force F and no velocity, equations (1) and (2)
            // of CartPoleModel reduce to (M + m) xDDot - m l thetaDDot = F and -m l xDDot + J thetaDDot = 0, so
            // xDDot = F / (M + m - (m l)^2 / J) and thetaDDot = m l xDDot / J.
            CartPoleParameters p = RigProfiles.Esp32Rig().CopyParameters();
            var model = new CartPoleModel(p);
            const float force = 2f;
            const float step = 0.01f;
            float ml = p.PoleMassKilograms * p.PivotToCenterOfMassMeters;
            float expectedXDDot = force / (p.CartMassKilograms + p.PoleMassKilograms - ml * ml / p.PoleInertiaAboutPivotKilogramSquareMeters);
            float expectedThetaDDot = ml * expectedXDDot / p.PoleInertiaAboutPivotKilogramSquareMeters;

            var state = new CartPoleState(0f, 0f, FloatMath.Pi, 0f);
            model.StepSemiImplicitEuler(ref state, force, step);

            // Semi-implicit Euler: velocities first, positions from the new velocities. sin(pi) in float is
            // about 1e-7 rather than 0, so allow 1e-4 relative.
            AssertClose(step * expectedXDDot, state.XDot, 1e-4f, "xDot after one step");
            AssertClose(step * step * expectedXDDot, state.X, 1e-4f, "x after one step");
            AssertClose(step * expectedThetaDDot, state.ThetaDot, 1e-4f, "thetaDot after one step");
            AssertClose(step * step * expectedThetaDDot, state.Theta - FloatMath.Pi, 1e-3f, "theta - pi after one step");
        }

        [TestMethod]
        public void EnergyIsConservedWithoutDampingOrForce()
        {
            CartPoleParameters p = RigProfiles.Esp32Rig().CopyParameters();
            p.CartDampingNewtonSecondsPerMeter = 0f;
            p.PivotDampingNewtonMeterSecondsPerRadian = 0f;
            var model = new CartPoleModel(p);
            var state = new CartPoleState(0f, 0.3f, 2.5f, -1.0f);
            float initial = model.Energy(ref state);
            float worst = 0f;
            for (int i = 0; i < 2000; i++)
            {
                model.StepRk4(ref state, 0f, 0.001f);
                float drift = FloatMath.Abs(model.Energy(ref state) - initial);
                if (drift > worst)
                {
                    worst = drift;
                }
            }

            // 2 s of free swinging at 1 kHz. The energy scale is m g l = 0.196 J; RK4's truncation error at
            // this step is far below float rounding, so what drifts is round-off: allow 1e-4 of m g l.
            Assert.IsTrue(worst < 2e-5f, "energy drifted by " + worst.ToString() + " J");
        }

        private static void AssertClose(float expected, float actual, float relativeTolerance, string what)
        {
            float error = FloatMath.Abs(actual - expected);
            Assert.IsTrue(error <= relativeTolerance * FloatMath.Abs(expected), what + ": expected " + expected.ToString() + ", got " + actual.ToString());
        }
    }
}
