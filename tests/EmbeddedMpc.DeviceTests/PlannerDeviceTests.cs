#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>One planning tick of CEM on the ESP32 rig's model, with sizes small enough for the interpreter.</summary>
    [TestClass]
    public class PlannerDeviceTests
    {
        [TestMethod]
        public void OneCemTickFromHanging_ReturnsAFiniteActionWithinBounds()
        {
            RecedingHorizonController planner = DeviceTestRig.SmallCemPlanner();
            var state = new CartPoleState(0f, 0f, FloatMath.Pi, 0f);

            float action = planner.ComputeAction(ref state);

            Assert.IsTrue(FloatMath.IsFinite(action), "the action is " + action.ToString());
            Assert.IsTrue(action >= -1f && action <= 1f, "the action " + action.ToString() + " is outside [-1, 1]");
            Assert.IsTrue(FloatMath.IsFinite(planner.LastPlanCost), "the plan cost is " + planner.LastPlanCost.ToString());
            Assert.AreEqual(DeviceTestRig.ModelStepsPerTick, planner.LastModelSteps, "model steps: samples x iterations x horizon");
        }

        [TestMethod]
        public void AfterReset_TheSameStateGivesTheSameAction()
        {
            RecedingHorizonController planner = DeviceTestRig.SmallCemPlanner();
            var state = new CartPoleState(0.05f, 0f, 3f, 0.5f);
            float first = planner.ComputeAction(ref state);
            planner.Reset();
            float second = planner.ComputeAction(ref state);

            // Seeded sampling and deterministic float arithmetic: bit for bit the same.
            Assert.AreEqual(first, second, "a reset planner must repeat itself");
        }
    }
}
