using System;
using EmbeddedMpc.Core.Hil;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.CoreHil;

/// <summary>
/// The device's link timing rules (PROTOCOL.md, "Link loss" and "Heartbeats") on a hand-driven clock in
/// microseconds, at the 50 Hz control period (P = 20 ms): 2 P of silence while the motor may run is a lost
/// link in real time, 1 s in lockstep; 500 ms with the motor off means the host is gone; a Heartbeat is due
/// after 100 ms without sending.
/// </summary>
[TestClass]
public sealed class LinkWatchdogTests
{
    private const long P = 20_000;

    [TestMethod]
    public void RealTime_TwoPeriodsWithoutSensorReadingsWhileTheMotorMayRun_IsALostLink_ReportedOnce()
    {
        var watchdog = new LinkWatchdog(P);
        watchdog.OpenSession(lockstep: false, nowMicroseconds: 0);
        long last = 0;
        for (long t = 0; t <= 10 * P; t += P)
        {
            Received(watchdog, t, readings: true);
            Assert.AreEqual(LinkCheck.None, watchdog.Check(t + P / 2, motorMayRun: true), $"readings every period: no loss at {t} µs");
            last = t;
        }

        Assert.AreEqual(2 * P, watchdog.LinkTimeoutMicroseconds);
        Assert.AreEqual(LinkCheck.None, watchdog.Check(last + 2 * P, motorMayRun: true), "exactly 2 P of silence is still within the rule");
        Assert.AreEqual(LinkCheck.LinkLost, watchdog.Check(last + 2 * P + 1, motorMayRun: true), "more than 2 P: lost");
        Assert.AreEqual(LinkCheck.None, watchdog.Check(last + 3 * P, motorMayRun: true), "one report per silence");

        // A reading re-arms the rule; the next silence is reported again.
        long back = last + 4 * P;
        Received(watchdog, back, readings: true);
        Assert.AreEqual(LinkCheck.None, watchdog.Check(back + 2 * P, motorMayRun: true));
        Assert.AreEqual(LinkCheck.LinkLost, watchdog.Check(back + 2 * P + 1, motorMayRun: true));
    }

    [TestMethod]
    public void RealTime_HeartbeatsAndOtherFramesDoNotKeepTheMotorRunning()
    {
        // In real time only SensorReadings count: a host that still sends Heartbeats but no readings has
        // stopped simulating the plant, so the motor must stop.
        var watchdog = new LinkWatchdog(P);
        watchdog.OpenSession(lockstep: false, nowMicroseconds: 1_000);
        Received(watchdog, 1_000, readings: true);
        for (long t = 1_000 + P / 4; t <= 1_000 + 2 * P; t += P / 4)
        {
            Received(watchdog, t, readings: false);
        }

        Assert.AreEqual(LinkCheck.LinkLost, watchdog.Check(1_000 + 2 * P + 1, motorMayRun: true));
    }

    [TestMethod]
    public void Lockstep_OnlyFreshReadingsKeepTheLinkAlive_ASecondWithoutOneLosesIt()
    {
        // A lockstep host waits for each answer, so readings may be far apart; but a host that only sends
        // Heartbeats (or repeats one tick) has stopped simulating the plant: 1 s without a fresh reading is lost.
        var watchdog = new LinkWatchdog(P);
        watchdog.OpenSession(lockstep: true, nowMicroseconds: 0);
        Received(watchdog, 0, readings: true);
        for (long t = 100_000; t <= 900_000; t += 100_000)
        {
            Received(watchdog, t, readings: true);
            Assert.AreEqual(LinkCheck.None, watchdog.Check(t + 99_000, motorMayRun: true), $"a fresh reading every 100 ms ({t} µs)");
        }

        long last = 900_000;
        for (long t = last + 100_000; t <= last + 1_000_000; t += 100_000)
        {
            Received(watchdog, t, readings: false);
        }

        Assert.AreEqual(1_000_000, watchdog.LinkTimeoutMicroseconds);
        Assert.AreEqual(LinkCheck.None, watchdog.Check(last + 1_000_000, motorMayRun: true));
        Assert.AreEqual(LinkCheck.LinkLost, watchdog.Check(last + 1_000_001, motorMayRun: true), "Heartbeats alone do not hold a lockstep link");
        Assert.IsTrue(watchdog.HostPresent, "the host is present, it just stopped simulating");
    }

    [TestMethod]
    public void MotorOff_SilenceIsNoLinkLoss_ButAfter500MsTheHostIsGoneAndHeartbeatsStop()
    {
        var watchdog = new LinkWatchdog(P);
        watchdog.OpenSession(lockstep: false, nowMicroseconds: 0);
        watchdog.FrameSent(0);
        Assert.AreEqual(LinkCheck.None, watchdog.Check(400_000, motorMayRun: false), "2 P and more without readings, motor off: nothing to stop");
        Assert.IsTrue(watchdog.HeartbeatDue(400_000), "the device keeps the idle link alive");
        watchdog.FrameSent(400_000);

        Assert.AreEqual(LinkCheck.None, watchdog.Check(500_000, motorMayRun: false));
        Assert.AreEqual(LinkCheck.HostGone, watchdog.Check(500_001, motorMayRun: false));
        Assert.IsFalse(watchdog.HostPresent);
        Assert.AreEqual(LinkCheck.None, watchdog.Check(900_000, motorMayRun: false), "reported once");
        Assert.IsFalse(watchdog.HeartbeatDue(900_000), "no Heartbeats to a host that is gone");

        Received(watchdog, 950_000, readings: false);
        Assert.IsTrue(watchdog.HostPresent, "any valid frame brings the host back");
        Assert.IsTrue(watchdog.HeartbeatDue(950_000));
    }

    [TestMethod]
    public void AHeartbeatIsDueAfterMoreThan100MsWithoutSending_OnlyOnceAConnectionIsOpen()
    {
        var watchdog = new LinkWatchdog(P);
        Received(watchdog, 0, readings: false);
        Assert.IsFalse(watchdog.HeartbeatDue(1_000_000), "before a Hello the device sends nothing of its own");
        Assert.AreEqual(LinkCheck.None, watchdog.Check(30_000, motorMayRun: true), "nor does the link-loss rule apply before a Hello");

        watchdog.OpenSession(lockstep: false, nowMicroseconds: 2_000_000);
        watchdog.FrameSent(2_000_000);
        Assert.IsFalse(watchdog.HeartbeatDue(2_100_000));
        Assert.IsTrue(watchdog.HeartbeatDue(2_100_001));
        watchdog.FrameSent(2_100_001);
        Assert.IsFalse(watchdog.HeartbeatDue(2_150_000), "any frame sent restarts the count");
    }

    [TestMethod]
    public void AConfigurationChangesThePeriodTheRealTimeRuleUses_AndThePeriodIsRangeChecked()
    {
        var watchdog = new LinkWatchdog(P);
        watchdog.OpenSession(lockstep: false, nowMicroseconds: 0);
        watchdog.ControlPeriodMicroseconds = 5_000;
        Assert.AreEqual(LinkCheck.LinkLost, watchdog.Check(10_001, motorMayRun: true), "2 x 5 ms");

        Assert.ThrowsExactly<ArgumentException>(() => new LinkWatchdog(999));
        Assert.ThrowsExactly<ArgumentException>(() => new LinkWatchdog(1_000_001));
        Assert.ThrowsExactly<ArgumentException>(() => watchdog.ControlPeriodMicroseconds = 0);
        Assert.AreEqual(5_000, watchdog.ControlPeriodMicroseconds, "a rejected value changes nothing");
    }

    private static void Received(LinkWatchdog watchdog, long now, bool readings)
    {
        watchdog.FrameReceived(now);
        if (readings)
        {
            watchdog.FreshReadingReceived(now);
        }
    }
}
