#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>The supervisor's E-stop handling on the target.</summary>
    [TestClass]
    public class SupervisorDeviceTests
    {
        [TestMethod]
        public void EmergencyStop_FaultsTheRigAndTheMotorStaysOffUntilReset()
        {
            EncoderStateEstimator estimator = DeviceTestRig.UnfilteredEstimator();
            var supervisor = new Supervisor(SupervisorSettings.ForProfile(RigProfiles.Esp32Rig()), estimator);
            var reading = new SensorReading();
            Observe(supervisor, estimator, ref reading);
            Assert.IsTrue(supervisor.Mode == SupervisorMode.Idle, "a healthy rig waits in Idle");

            reading.EmergencyStopPressed = true;
            Observe(supervisor, estimator, ref reading);
            Assert.IsTrue(supervisor.Mode == SupervisorMode.Fault, "the E-stop must fault the rig");
            Assert.IsTrue(supervisor.Fault == FaultReason.EmergencyStop, "the fault must name the E-stop");
            Assert.AreEqual(0f, supervisor.LimitCommand(0.5f), "no command passes in Fault");

            // Still pressed: a reset leaves Fault, and the next tick faults again.
            supervisor.RequestReset();
            Observe(supervisor, estimator, ref reading);
            Assert.IsTrue(supervisor.Mode == SupervisorMode.Fault, "a reset with the E-stop still pressed must not clear the fault");

            reading.EmergencyStopPressed = false;
            supervisor.RequestReset();
            Observe(supervisor, estimator, ref reading);
            Assert.IsTrue(supervisor.Mode == SupervisorMode.Idle, "released and reset: back to Idle");
            Assert.IsFalse(supervisor.IsHomed, "a reset forgets the homing (the cart may have been moved by hand)");
        }

        private static void Observe(Supervisor supervisor, EncoderStateEstimator estimator, ref SensorReading reading)
        {
            bool plausible = estimator.Update(ref reading);
            supervisor.Observe(ref reading, plausible);
        }
    }
}
