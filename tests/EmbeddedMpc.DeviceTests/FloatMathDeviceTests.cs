#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>
    /// The Core's float math on the target, at a few points against reference values (computed in
    /// double on a PC), within the bounds FloatMath documents: 2e-6 absolute for sin and cos, 1e-6
    /// relative for sqrt, exp and log.
    /// </summary>
    [TestClass]
    public class FloatMathDeviceTests
    {
        private const float TrigAbsoluteErrorBound = 2e-6f;
        private const float RelativeErrorBound = 1e-6f;

        [TestMethod]
        public void SinAndCos_AreWithinTheirBoundAtReferenceAngles()
        {
            AssertAbsolute(0.47942553860420301f, FloatMath.Sin(0.5f), "sin(0.5)");
            AssertAbsolute(-0.59847214410395655f, FloatMath.Sin(-2.5f), "sin(-2.5)");
            AssertAbsolute(-0.99999020655070346f, FloatMath.Sin(11f), "sin(11)");
            AssertAbsolute(0.54030230586813977f, FloatMath.Cos(1f), "cos(1)");
            AssertAbsolute(-0.98999249660044542f, FloatMath.Cos(3f), "cos(3)");
            Assert.AreEqual(0f, FloatMath.Sin(0f), "sin(0) is exact");
            Assert.AreEqual(1f, FloatMath.Cos(0f), "cos(0) is exact");
        }

        [TestMethod]
        public void SqrtExpAndLog_AreWithinTheirRelativeBound()
        {
            AssertRelative(1.4142135623730951f, FloatMath.Sqrt(2f), "sqrt(2)");
            AssertRelative(0.001f, FloatMath.Sqrt(1e-6f), "sqrt(1e-6)");
            AssertRelative(2.7182818284590452f, FloatMath.Exp(1f), "exp(1)");
            AssertRelative(0.0067379469990854671f, FloatMath.Exp(-5f), "exp(-5)");
            AssertRelative(2.3025850929940457f, FloatMath.Log(10f), "log(10)");
        }

        [TestMethod]
        public void NonFiniteInputs_GiveNaN()
        {
            Assert.IsTrue(float.IsNaN(FloatMath.Sin(float.NaN)), "sin(NaN)");
            Assert.IsTrue(float.IsNaN(FloatMath.Cos(float.PositiveInfinity)), "cos(+inf)");
        }

        private static void AssertAbsolute(float expected, float actual, string what)
        {
            float error = FloatMath.Abs(actual - expected);
            Assert.IsTrue(error <= TrigAbsoluteErrorBound, what + " = " + actual.ToString() + ", error " + error.ToString());
        }

        private static void AssertRelative(float expected, float actual, string what)
        {
            float error = FloatMath.Abs(actual - expected) / FloatMath.Abs(expected);
            Assert.IsTrue(error <= RelativeErrorBound, what + " = " + actual.ToString() + ", relative error " + error.ToString());
        }
    }
}
