#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>
    /// The HIL link's plain logic on the interpreter that runs it: the link watchdog's timing rules, and a
    /// LoopStatistics frame through the Core's encoder and decoder (the firmware sends one every 5 s in
    /// both modes).
    /// </summary>
    [TestClass]
    public class HilLinkDeviceTests
    {
        private const long Period = 20000;

        [TestMethod]
        public void Watchdog_RealTime_MoreThanTwoPeriodsWithoutReadings_IsALostLinkOnce()
        {
            var watchdog = new LinkWatchdog(Period);
            watchdog.OpenSession(false, 1000000);
            watchdog.FrameReceived(1000000);
            watchdog.FreshReadingReceived(1000000);
            Assert.IsTrue(watchdog.Check(1000000 + 2 * Period, true) == LinkCheck.None, "2 P is still within the rule");
            Assert.IsTrue(watchdog.Check(1000000 + 2 * Period + 1, true) == LinkCheck.LinkLost, "more than 2 P is a lost link");
            Assert.IsTrue(watchdog.Check(1000000 + 3 * Period, true) == LinkCheck.None, "reported once");
            Assert.IsTrue(watchdog.Check(1000000 + 3 * Period, false) == LinkCheck.None, "motor off: no host-gone before 500 ms");
            Assert.IsTrue(watchdog.Check(1500001, false) == LinkCheck.HostGone, "motor off: host gone after 500 ms");
        }

        [TestMethod]
        public void Watchdog_Lockstep_HeartbeatsDoNotHoldTheLink_FreshReadingsDo()
        {
            var watchdog = new LinkWatchdog(Period);
            watchdog.OpenSession(true, 0);
            watchdog.FrameSent(0);
            for (long t = 100000; t <= 900000; t += 100000)
            {
                watchdog.FrameReceived(t);
                watchdog.FreshReadingReceived(t);
                Assert.IsTrue(watchdog.Check(t + 99000, true) == LinkCheck.None, "a fresh reading every 100 ms keeps lockstep alive");
            }

            watchdog.FrameReceived(1500000);
            Assert.IsTrue(watchdog.Check(1900001, true) == LinkCheck.LinkLost, "1 s without a fresh reading in lockstep, Heartbeats or not");
            Assert.IsTrue(watchdog.HeartbeatDue(100001), "the device's own Heartbeat is due after 100 ms without sending");
        }

        [TestMethod]
        public void LoopStatistics_RoundTripsThroughEncoderAndDecoder()
        {
            var encoder = new FrameEncoder();
            var decoder = new FrameDecoder();
            var wire = new byte[FrameLayout.MaxWireFrameLength];
            var sent = new LoopStatisticsMessage();
            sent.TickIndex = 250;
            sent.Overruns = 3;
            sent.SkippedPeriods = 1;
            sent.MaxJitterMicroseconds = 412;
            sent.MaxTickMicroseconds = 17950;
            sent.FreeMemoryBytes = 81920;
            sent.GarbageCollectionMicroseconds = 6100;
            int length = encoder.Encode(ref sent, wire, 0);
            Assert.AreEqual(FrameLayout.HeaderLength + LoopStatisticsMessage.PayloadLength + FrameLayout.CrcLength + 2, length, "wire bytes");

            int offset = 0;
            while (offset < length)
            {
                offset += decoder.Feed(wire, offset, length - offset);
            }

            Assert.AreEqual(1u, decoder.FramesAccepted, "the frame is accepted");
            Assert.IsTrue(decoder.MessageType == MessageType.LoopStatistics, "type 0x15");
            var received = new LoopStatisticsMessage();
            received.Read(decoder.Frame, FrameLayout.PayloadOffset);
            Assert.AreEqual(250u, received.TickIndex, "TickIndex");
            Assert.AreEqual(3u, received.Overruns, "Overruns");
            Assert.AreEqual(1u, received.SkippedPeriods, "SkippedPeriods");
            Assert.AreEqual(412u, received.MaxJitterMicroseconds, "MaxJitterMicroseconds");
            Assert.AreEqual(17950u, received.MaxTickMicroseconds, "MaxTickMicroseconds");
            Assert.AreEqual(81920u, received.FreeMemoryBytes, "FreeMemoryBytes");
            Assert.AreEqual(6100u, received.GarbageCollectionMicroseconds, "GarbageCollectionMicroseconds");
        }
    }
}
