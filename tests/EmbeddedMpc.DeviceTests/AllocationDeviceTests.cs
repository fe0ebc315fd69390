#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>
    /// The control loop's ticks allocate nothing: a nanoFramework collection is stop-the-world, and one
    /// stray allocation per tick would become a multi-millisecond stall every few seconds.
    /// </summary>
    [TestClass]
    public class AllocationDeviceTests
    {
        private const int MeasuredTicks = 100;

        [TestMethod]
        public void HundredSwingUpTicks_AllocateNothing()
        {
            var sensors = new HangingPoleSensors();
            var motor = new RecordingMotor();
            ControlLoop loop = DeviceTestRig.SwingingUpLoop(sensors, motor);
            var record = new TelemetryRecord();

            // Warm-up: reach SwingUp, and (on .NET) get every method compiled.
            for (int i = 0; i < 10; i++)
            {
                loop.Tick(ref record);
            }

            Assert.IsTrue(record.Mode == SupervisorMode.SwingUp, "the loop must be swinging up, so that the planner runs");
            Assert.AreEqual(DeviceTestRig.ModelStepsPerTick, record.ModelSteps, "the planner ran this tick");

#if NANOFRAMEWORK_1_0
            // nanoFramework has no allocation counter: GC.Run collects and returns the free heap. Equal free
            // memory before and after shows that the ticks kept nothing; garbage they left would have been
            // collected by the second GC.Run, so this catches retention, not short-lived garbage (the host
            // run of this test catches that).
            uint freeBefore = nanoFramework.Runtime.Native.GC.Run(false);
            for (int i = 0; i < MeasuredTicks; i++)
            {
                loop.Tick(ref record);
            }

            uint freeAfter = nanoFramework.Runtime.Native.GC.Run(false);
            Assert.IsTrue(freeAfter >= freeBefore, "100 ticks kept " + (freeBefore - freeAfter).ToString() + " bytes of heap");
#else
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < MeasuredTicks; i++)
            {
                loop.Tick(ref record);
            }

            long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.AreEqual(0L, allocated, "bytes allocated by 100 ticks");
#endif
            Assert.IsTrue(record.Mode == SupervisorMode.SwingUp, "still swinging up after the measured ticks");
        }
    }
}
