using System;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>
/// The encoder estimator divides by the time that passed between two readings: measured when the
/// sensors say when they were read (the rig's sensors, through <see cref="ISampleClock"/>), whole control
/// periods otherwise (simulator, HIL).
/// </summary>
[TestClass]
public sealed class EncoderStateEstimatorTests
{
    // The rig's scales: 5,610 counts per 0.5 m of belt travel, a 600-line pole encoder read x4.
    private const float CartCountsPerMeter = 11220f;
    private const float PoleCountsPerRevolution = 2400f;
    private const float PeriodSeconds = 0.02f;
    private const long PeriodMicroseconds = 20000;

    // Half weight on the newest difference: a wrong interval shows as a wrong speed at once
    // (with weight 1 the filter would hide nothing, with a small weight it would take many readings).
    private const float FilterWeight = 0.5f;
    private const float MaxCartSpeed = 5f;
    private const float MaxPoleSpeed = 60f;

    // 112 cart counts and 48 pole counts per 20 ms: 0.4991 m/s and 6.283 rad/s, whole counts per period,
    // so every difference is exact and the filtered speed equals the true one up to float rounding.
    private const long CartCountsPerPeriod = 112;
    private const long PoleCountsPerPeriod = 48;
    private const double TrueCartSpeed = CartCountsPerPeriod / (double)CartCountsPerMeter / 0.02;
    private const double TruePoleSpeed = PoleCountsPerPeriod * 2 * Math.PI / PoleCountsPerRevolution / 0.02;

    // Float rounding of counts x scale / interval, far below the error a wrong interval makes (50 % and more).
    private const double RelativeTolerance = 1e-4;

    [TestMethod]
    public void ConstantSpeed_OnePeriodSkipped_GivesTheTrueSpeedNotTwiceIt()
    {
        EncoderStateEstimator estimator = NewEstimator();
        var clock = new SampleClock();
        estimator.TimeReadingsWith(clock);
        long[] sampleTimes = { 0, 20000, 40000, 60000, /* 80 ms missed */ 100000 };
        foreach (long time in sampleTimes)
        {
            Assert.IsTrue(Feed(estimator, clock, time), $"the reading at {time} µs is plausible");
        }

        estimator.ReadState(out CartPoleState state);
        // Four differences through the filter give (1 - 0.5^4) v = 0.9375 v; dividing the 40 ms difference by
        // one period would give 0.5 x 2v + 0.5 x 0.875 v = 1.44 v.
        AssertRelative(Filtered(4) * TrueCartSpeed, state.XDot, "cart speed after a skipped period");
        AssertRelative(Filtered(4) * TruePoleSpeed, state.ThetaDot, "pole speed after a skipped period");
        AssertRelative(CartCountsPerPeriod * 5.0 / CartCountsPerMeter, state.X, "cart position");
    }

    [TestMethod]
    public void ConstantSpeed_LateTickThenOnTimeTick_GivesTheTrueSpeedBothTimes()
    {
        EncoderStateEstimator estimator = NewEstimator();
        var clock = new SampleClock();
        estimator.TimeReadingsWith(clock);
        Feed(estimator, clock, 0);
        Feed(estimator, clock, 20000);
        Feed(estimator, clock, 40000);

        // Jitter: the tick of 60 ms starts 5 ms late, the next one on time (15 ms later); 5 ms steps keep
        // the counts whole (28 cart and 12 pole counts per 5 ms).
        Feed(estimator, clock, 65000);
        estimator.ReadState(out CartPoleState late);
        AssertRelative(Filtered(3) * TrueCartSpeed, late.XDot, "cart speed over a 25 ms interval");

        Feed(estimator, clock, 80000);
        estimator.ReadState(out CartPoleState onTime);
        AssertRelative(Filtered(4) * TrueCartSpeed, onTime.XDot, "cart speed over the following 15 ms interval");
        AssertRelative(Filtered(4) * TruePoleSpeed, onTime.ThetaDot, "pole speed over the following 15 ms interval");
    }

    [TestMethod]
    public void UnstampedReadings_AssumeOnePeriodEach_AsTheSimulatorAndHilDeliverThem()
    {
        EncoderStateEstimator estimator = NewEstimator();
        for (int k = 0; k < 4; k++)
        {
            var reading = new SensorReading { CartCount = k * CartCountsPerPeriod, PoleCount = k * PoleCountsPerPeriod };
            Assert.IsTrue(estimator.Update(ref reading));
        }

        estimator.ReadState(out CartPoleState state);
        AssertRelative(Filtered(3) * TrueCartSpeed, state.XDot, "cart speed from unstamped readings");
    }

    [TestMethod]
    public void RejectedReading_TheNextDifferenceSpansBothPeriods()
    {
        EncoderStateEstimator estimator = NewEstimator();
        // The cart starts 0.5 m from where its encoder counted 0.
        const long start = 5610;
        for (int k = 0; k < 3; k++)
        {
            estimator.Update(start + k * CartCountsPerPeriod, k * PoleCountsPerPeriod);
        }

        // A cart encoder that glitches to 0 for one period: 0.52 m in 20 ms is over the 5 m/s limit.
        Assert.IsFalse(estimator.Update(0, 3 * PoleCountsPerPeriod), "a jump back to 0 in one period is implausible");
        Assert.IsTrue(estimator.Update(start + 4 * CartCountsPerPeriod, 4 * PoleCountsPerPeriod), "the next true reading is plausible again");

        estimator.ReadState(out CartPoleState state);
        // Two periods of motion since the last accepted reading, divided by two periods, not one
        // (one would give 0.5 x 2v + 0.5 x 0.75 v = 1.375 v).
        AssertRelative(Filtered(3) * TrueCartSpeed, state.XDot, "cart speed after a rejected reading");
    }

    [TestMethod]
    public void SameSampleTimeTwice_GivesAFiniteSpeedBoundedByTheQuarterPeriodFloor()
    {
        EncoderStateEstimator estimator = NewEstimator();
        estimator.Update(0, 0, 0);
        Assert.IsTrue(estimator.Update(1, 0, 0), "one count at the same instant is plausible");

        estimator.ReadState(out CartPoleState state);
        double floorSeconds = EncoderStateEstimator.MinimumIntervalPeriods * PeriodSeconds;
        double bound = FilterWeight * (1.0 / CartCountsPerMeter) / floorSeconds;
        Assert.IsTrue(float.IsFinite(state.XDot), "no division by a zero interval");
        Assert.AreEqual(bound, state.XDot, bound * RelativeTolerance, "one count over the 5 ms floor, filtered");
    }

    [TestMethod]
    public void GapLongerThanTheLimit_StartsAfreshWithZeroSpeed()
    {
        EncoderStateEstimator estimator = NewEstimator();
        for (int k = 0; k < 4; k++)
        {
            estimator.Update(k * CartCountsPerPeriod, k * PoleCountsPerPeriod, k * PeriodMicroseconds);
        }

        // A debugger break of one second: the cart was pushed 0.3 m meanwhile (15 m/s would be implausible
        // over one period, not over a second).
        long afterBreak = 3 * PeriodMicroseconds + 1000000;
        Assert.IsTrue(estimator.Update(3 * CartCountsPerPeriod + 3366, 3 * PoleCountsPerPeriod, afterBreak), "a fresh start accepts any position");
        estimator.ReadState(out CartPoleState state);
        Assert.AreEqual(0f, state.XDot, "a difference over 1 s says nothing about the speed now");
        AssertRelative((3 * CartCountsPerPeriod + 3366) / (double)CartCountsPerMeter, state.X, "position after the gap");

        // And the next period continues normally from there.
        Assert.IsTrue(estimator.Update(4 * CartCountsPerPeriod + 3366, 4 * PoleCountsPerPeriod, afterBreak + PeriodMicroseconds));
        estimator.ReadState(out CartPoleState next);
        AssertRelative(FilterWeight * TrueCartSpeed, next.XDot, "first filtered speed after the fresh start");
    }

    [TestMethod]
    public void PlausibilityLimit_ScalesWithTheMeasuredInterval()
    {
        // 0.12 m is over the 5 m/s limit in one 20 ms period (0.1 m), within it over two (0.2 m).
        const long jumpCounts = 1346;
        EncoderStateEstimator oneTick = NewEstimator();
        oneTick.Update(0, 0, 0);
        Assert.IsFalse(oneTick.Update(jumpCounts, 0, PeriodMicroseconds), "0.12 m in 20 ms is implausible");

        EncoderStateEstimator skipped = NewEstimator();
        skipped.Update(0, 0, 0);
        Assert.IsTrue(skipped.Update(jumpCounts, 0, 2 * PeriodMicroseconds), "0.12 m in 40 ms is possible");
    }

    [TestMethod]
    public void TheRigsControlStack_TimesReadingsWithTheSensorsOwnClock()
    {
        // Scenario: the firmware's ControlStack for the rig around sensors that say when they were read (as the
        // ESP32's RigSensors do), the cart moving at constant speed and one period missed, its counts as the
        // rig's PCNT delivers them (FirmwareSettings.EncoderCountScale of the profile's). The loop's clock
        // stands still, so only the sensors' sample times can give the right speed.
        var sensors = new TimedSensors();
        var hardware = new NullMotorAndClock();
        ControlLoop loop = EmbeddedMpc.Firmware.ControlStack.Build(RigProfiles.Esp32Rig(), sensors, hardware, hardware);
        var record = new TelemetryRecord();
        long[] sampleTimes = { 0, 20000, 40000, 60000, 80000, 100000, 120000, 140000, /* 160 ms missed */ 180000 };
        foreach (long time in sampleTimes)
        {
            sensors.TimeMicroseconds = time;
            loop.Tick(ref record);
        }

        loop.Estimator.ReadState(out CartPoleState state);
        double trueSpeed = TimedSensors.CartCountsPerMicrosecond * 1e6 / RigProfiles.Esp32Rig().CartCountsPerMeter;
        // With the rig's filter weight (0.7) eight equal differences read (1 - 0.3^8) = 99.99 % of the speed;
        // dividing the last, 40 ms difference by one period would read 0.7 x 2v + 0.3 v = 1.7 v.
        Assert.AreEqual(trueSpeed, state.XDot, trueSpeed * 0.01, "cart speed through the firmware's stack after a missed period");
    }

    // The filter starts from zero speed: after n equal differences it reads (1 - (1 - w)^n) of the true speed.
    private static double Filtered(int differences)
    {
        return 1.0 - Math.Pow(1.0 - FilterWeight, differences);
    }

    private static EncoderStateEstimator NewEstimator()
    {
        return new EncoderStateEstimator(CartCountsPerMeter, PoleCountsPerRevolution, PeriodSeconds, FilterWeight, MaxCartSpeed, MaxPoleSpeed);
    }

    // Reads the constant-speed motion at timeMicroseconds through the sensor-reading path, the clock saying when.
    private static bool Feed(EncoderStateEstimator estimator, SampleClock clock, long timeMicroseconds)
    {
        double elapsedPeriods = timeMicroseconds / (double)PeriodMicroseconds;
        clock.LastSampleMicroseconds = timeMicroseconds;
        var reading = new SensorReading
        {
            CartCount = (long)Math.Round(elapsedPeriods * CartCountsPerPeriod),
            PoleCount = (long)Math.Round(elapsedPeriods * PoleCountsPerPeriod),
        };
        return estimator.Update(ref reading);
    }

    private sealed class SampleClock : ISampleClock
    {
        public long LastSampleMicroseconds { get; set; }
    }

    // Cart at constant speed (5.6 counts per ms at the profile's 11,220 counts/m, 0.499 m/s; 4.2 per ms as the
    // rig's PCNT counts them), pole still, switches closed.
    private sealed class TimedSensors : IRigSensors, ISampleClock
    {
        public const double CartCountsPerMicrosecond = 0.0056;

        public long TimeMicroseconds { get; set; }

        public long LastSampleMicroseconds => TimeMicroseconds;

        public void Read(ref SensorReading reading)
        {
            reading.CartCount = (long)Math.Round(TimeMicroseconds * CartCountsPerMicrosecond * EmbeddedMpc.Firmware.FirmwareSettings.EncoderCountScale);
            reading.PoleCount = 0;
            reading.NegativeLimitTripped = false;
            reading.PositiveLimitTripped = false;
            reading.EmergencyStopPressed = false;
        }
    }

    private sealed class NullMotorAndClock : IMotorDriver, IMicrosecondClock
    {
        public long NowMicroseconds => 0;

        public void SetDuty(float signedDuty)
        {
        }
    }

    private static void AssertRelative(double expected, float actual, string what)
    {
        Assert.AreEqual(expected, actual, Math.Abs(expected) * RelativeTolerance, what);
    }
}
