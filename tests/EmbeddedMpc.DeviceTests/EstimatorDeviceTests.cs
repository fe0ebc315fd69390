#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>
    /// The encoder estimator on the target, with the rig's scales: 11,220 cart counts per metre, 2,400
    /// pole counts per revolution, 20 ms between updates, no velocity filtering.
    /// </summary>
    [TestClass]
    public class EstimatorDeviceTests
    {
        [TestMethod]
        public void Counts_BecomePositionsAndVelocities()
        {
            EncoderStateEstimator estimator = DeviceTestRig.UnfilteredEstimator();
            Assert.IsTrue(estimator.Update(0, 0), "first reading");

            // 561 counts = 0.05 m in 20 ms = 2.5 m/s; 100 counts = 2 pi / 24 rad in 20 ms.
            Assert.IsTrue(estimator.Update(561, 100), "second reading");
            float expectedTheta = FloatMath.TwoPi / 24f;
            CartPoleState state;
            estimator.ReadState(out state);
            AssertClose(0.05f, state.X, "x");
            AssertClose(2.5f, state.XDot, "xDot");
            AssertClose(expectedTheta, state.Theta, "theta");
            AssertClose(expectedTheta / 0.02f, state.ThetaDot, "thetaDot");
        }

        [TestMethod]
        public void AJumpFurtherThanTheRigCanMove_IsRejectedAndTheEstimateKept()
        {
            EncoderStateEstimator estimator = DeviceTestRig.UnfilteredEstimator();
            estimator.Update(0, 0);
            estimator.Update(561, 0);

            // 5 m/s x 20 ms = 0.1 m = 1,122 counts at most per tick; 1,200 more is a glitch or a loose cable.
            Assert.IsFalse(estimator.Update(561 + 1200, 0), "a 1,200-count jump must be rejected");
            CartPoleState state;
            estimator.ReadState(out state);
            AssertClose(0.05f, state.X, "x kept");
            AssertClose(2.5f, state.XDot, "xDot kept");

            // The next reading is judged against the last accepted one, two periods back: 39 counts on are plausible.
            Assert.IsTrue(estimator.Update(600, 0), "a plausible reading after the rejected one is taken");

            // 60 rad/s x 20 ms = 1.2 rad = 458 counts at most; 600 counts is a quarter turn.
            Assert.IsFalse(estimator.Update(600, 600), "a quarter turn of the pole in one tick must be rejected");
            Assert.IsTrue(estimator.Update(639, 0), "a plausible reading after the rejected one is taken");
        }

        [TestMethod]
        public void SetPoleHanging_MakesThatCountPi()
        {
            EncoderStateEstimator estimator = DeviceTestRig.UnfilteredEstimator();
            estimator.SetPoleHanging(1000);
            estimator.Update(0, 1000);
            CartPoleState state;
            estimator.ReadState(out state);
            AssertClose(FloatMath.Pi, state.Theta, "theta at the hanging count");
        }

        private static void AssertClose(float expected, float actual, string what)
        {
            float error = FloatMath.Abs(actual - expected);
            Assert.IsTrue(error <= 1e-5f * FloatMath.Abs(expected), what + ": expected " + expected.ToString() + ", got " + actual.ToString());
        }
    }
}
