using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>
/// The link must stop the motor whatever the host does: a scripted host on one end of a socat pair, the
/// virtual device (`device`) on the other. Before a Hello nothing runs; a Hello is always answered; a host
/// that falls silent, stalls on one tick, sends stale ticks or floods the line with noise gets duty 0 and
/// a Fault within two control periods of its last fresh reading's successor being due; a Configuration
/// heavier than the device can run in a period is refused, naming the limit, and the device stays
/// responsive to Hello and SIGTERM.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class LinkSafetyTests
{
    private const double PeriodMilliseconds = 20.0;

    // A hanging pole on a homed device: half a revolution from upright, so the swing-up drives hard.
    private static readonly long HangingPoleCount = (long)(RigProfiles.Esp32Rig().PoleCountsPerRevolution / 2);

    [TestMethod]
    public void BeforeAnyHelloStartConfigurationAndReadingsAreRefusedNotConnected_AndNothingRuns()
    {
        using HilHarness link = HilHarness.Start();
        link.StartDevice("--homed");
        using var host = new ScriptedHost(link.HostPort);
        ushort start = host.Command(DeviceCommand.Start);
        Assert.AreEqual(AckStatus.NotConnected, host.AckFor(0, MessageType.Command, start).Status);
        ushort reading = host.Send(0, HangingPoleCount);
        Assert.AreEqual(AckStatus.NotConnected, host.AckFor(0, MessageType.SensorReadings, reading).Status, "a reading is answered, not run");
        ushort second = host.Send(1, HangingPoleCount);
        Assert.AreEqual(AckStatus.NotConnected, host.AckFor(0, MessageType.SensorReadings, second).Status);
        Assert.IsFalse(host.Frames.Any(f => f.Type == MessageType.MotorCommand), "no tick ran");

        DeviceReport device = link.StopDevice();
        Assert.AreEqual(0u, device.Ticks);
        Assert.AreEqual(3u, device.RefusedBeforeHello);
        Assert.AreEqual(0, device.LinkLosses.Length, "the motor never ran, so there was nothing to stop");
    }

    [TestMethod]
    public void AHelloWithAnySequenceNumberIsAnswered_ARestartedHostNumbersFromZeroAgain()
    {
        using HilHarness link = HilHarness.Start();
        link.StartDevice();
        using var host = new ScriptedHost(link.HostPort);
        foreach (ushort number in new ushort[] { 0, 0, 40000, 7 })
        {
            int from = host.FrameCount;
            host.RestartNumbering(number);
            host.Hello(0);
            host.WaitFor(from, f => f.Type == MessageType.HelloAck, $"HelloAck to a Hello numbered {number}");
            ushort command = host.Command(DeviceCommand.Stop); // the next number after the Hello is the next frame, not a gap
            Assert.AreEqual(AckStatus.Accepted, host.AckFor(from, MessageType.Command, command).Status);
        }

        DeviceReport device = link.StopDevice();
        Assert.AreEqual(4, device.Sessions);
        Assert.AreEqual(0L, device.DuplicateFrames, "a Hello is never taken for a duplicate");
        Assert.AreEqual(0L, device.SequenceGaps, "each Hello restarts the numbering it is compared with");
    }

    public enum HostFailure
    {
        Silent,
        StalledOnOneTick,
        StaleTicks,
        Noise,
    }

    [TestMethod]
    public void AHostThatFallsSilentStallsSendsStaleTicksOrFloodsGetsDutyZeroAndAFaultWithinTwoPeriods()
    {
        // Each trial: Hello, Start, 0.5 s of fresh readings every 20 ms (swinging up, the motor driving), then
        // the failure for 0.3 s. PROTOCOL.md: more than 2 P without a fresh reading stops the motor; the host
        // went wrong when the next reading was due (1 P after the last), so the Fault must come within
        // 3 P = 60 ms of the last fresh reading. The device measures its own silence when it acts, on its
        // monotonic clock; if its loop was not run for more than a period just then (the operating system on
        // a loaded machine), the trial cannot show the rule's timing and is repeated (bounded).
        const int TrialsPerFailure = 5;
        const int MaxRepeats = 30; // trials lost to a busy machine before the failure began; beyond, the machine cannot show anything
        using HilHarness link = HilHarness.Start();
        link.StartDevice("--homed");
        using var host = new ScriptedHost(link.HostPort);
        var trials = new List<(HostFailure Failure, double HostMilliseconds)>();
        var outcomes = new List<(HostFailure Failure, double? HostMilliseconds)>(); // every trial, repeated ones included, in order
        int repeats = 0;
        foreach (HostFailure failure in Enum.GetValues<HostFailure>())
        {
            for (int trial = 0; trial < TrialsPerFailure; trial++)
            {
                double? hostMilliseconds;
                try
                {
                    hostMilliseconds = Trial(host, failure, trial);
                }
                catch (AssertFailedException error)
                {
                    throw new AssertFailedException($"{failure}, trial {trial}: {error.Message}\ndevice:\n{link.DeviceOutput}", error);
                }

                outcomes.Add((failure, hostMilliseconds));
                if (hostMilliseconds is null)
                {
                    if (++repeats > MaxRepeats)
                    {
                        Assert.Inconclusive($"the link was lost before the failure in {repeats} trials: the machine is too busy to run a 50 Hz link\n{link.DeviceOutput}");
                    }

                    trial--;
                    continue;
                }

                trials.Add((failure, hostMilliseconds.Value));
            }
        }

        DeviceReport device = link.StopDevice();
        DeviceLinkLoss[] losses = device.LinkLosses;
        Assert.AreEqual(trials.Count + repeats, losses.Length, "one loss per trial, and one per repeated trial");
        int stalled = 0;
        foreach (DeviceLinkLoss loss in losses)
        {
            Assert.AreEqual(0f, loss.DutyAfter, "motor command zero");
            Assert.IsTrue(loss.SilenceMilliseconds > 2 * PeriodMilliseconds, $"not before 2 P: {loss.SilenceMilliseconds:F1} ms");
            if (loss.LoopGapMilliseconds > PeriodMilliseconds)
            {
                stalled++; // the process was not run: this trial says nothing about the rule
                continue;
            }

            Assert.IsTrue(loss.SilenceMilliseconds <= 3 * PeriodMilliseconds, $"within two periods of the failure: {loss.SilenceMilliseconds:F1} ms\n{link.DeviceOutput}");
        }

        if (stalled == losses.Length)
        {
            Assert.Inconclusive($"all {stalled} trials were stalled by the machine: too busy to show the rule's timing");
        }

        // The host's figure, end to end (the device's rule, its loop, the pty and the host's receive thread),
        // over the trials the machine did not stall.
        for (int i = 0; i < losses.Length; i++)
        {
            (HostFailure failure, double? hostMilliseconds) = outcomes[i];
            if (hostMilliseconds is double milliseconds && losses[i].LoopGapMilliseconds <= PeriodMilliseconds)
            {
                Console.WriteLine($"{failure}: device silence {losses[i].SilenceMilliseconds:F1} ms, Fault at the host {milliseconds:F1} ms after the last fresh reading");
            }
        }

        foreach (HostFailure failure in Enum.GetValues<HostFailure>())
        {
            double[] times = outcomes.Select((o, i) => (o, i)).Where(x => x.o.Failure == failure && x.o.HostMilliseconds is not null && losses[x.i].LoopGapMilliseconds <= PeriodMilliseconds)
                .Select(x => x.o.HostMilliseconds!.Value).ToArray();
            if (times.Length > 0)
            {
                Console.WriteLine($"{failure}: Fault at the host {times.Min():F1} to {times.Max():F1} ms after the last fresh reading ({times.Length} unstalled trials)");
            }
        }

        Console.WriteLine($"device: silence when it stopped the motor {losses.Min(l => l.SilenceMilliseconds):F1} to {losses.Max(l => l.SilenceMilliseconds):F1} ms; loop gap at most {losses.Max(l => l.LoopGapMilliseconds):F1} ms; {stalled} stalled");
    }

    // One trial; returns the time from the last fresh reading to the Fault's arrival, or null if the link
    // was lost before the failure began (the host or the device was held up by the machine).
    private static double? Trial(ScriptedHost host, HostFailure failure, int trial)
    {
        int from = host.FrameCount;
        host.Hello(HelloMessage.FlagSendTelemetry); // real time
        ReceivedFrame helloAck = host.WaitFor(from, f => f.Type == MessageType.HelloAck, "HelloAck");
        // The device answers in order: whatever answers the last trial's frames came before this HelloAck.
        from = Array.IndexOf(host.Frames, helloAck) + 1;
        Assert.AreEqual(AckStatus.Accepted, host.AckFor(from, MessageType.Command, host.Command(DeviceCommand.Start)).Status);

        long period = (long)(PeriodMilliseconds * Stopwatch.Frequency / 1000);
        long t0 = Stopwatch.GetTimestamp() + period;
        const uint FreshTicks = 25;
        long lastFresh = 0;
        for (uint k = 0; k < FreshTicks; k++)
        {
            WaitUntil(t0 + k * period);
            lastFresh = host.Readings(k, HangingPoleCount);
        }

        ReceivedFrame lastAnswer = host.WaitFor(from, f => f.Type == MessageType.MotorCommand && f.MotorCommand().TickIndex == FreshTicks - 1, "the last fresh tick's MotorCommand");
        if (host.Frames.Skip(from).Any(f => f.Type == MessageType.Fault))
        {
            return null;
        }

        ReceivedFrame telemetry = host.WaitFor(from, f => f.Type == MessageType.Telemetry && BitConverter.ToUInt32(f.Payload, 0) == FreshTicks - 1, "the last fresh tick's Telemetry");
        Assert.AreNotEqual(0f, lastAnswer.MotorCommand().Duty, $"the motor was driving when the host went wrong (mode {telemetry.Payload[4]}, fault {telemetry.Payload[5]})");
        var random = new Random(trial);
        long end = t0 + (FreshTicks + 15) * period;
        for (long due = t0 + FreshTicks * period; due < end; due += period / 4)
        {
            WaitUntil(due);
            switch (failure)
            {
                case HostFailure.StalledOnOneTick:
                    host.Heartbeat();
                    host.Readings(FreshTicks - 1, HangingPoleCount); // the same tick again and again
                    break;
                case HostFailure.StaleTicks:
                    host.Readings(FreshTicks - 2 - (uint)random.Next(0, 10), HangingPoleCount);
                    break;
                case HostFailure.Noise:
                    var noise = new byte[460]; // every 5 ms: 92 kB/s of non-zero bytes, no delimiter
                    random.NextBytes(noise);
                    for (int i = 0; i < noise.Length; i++)
                    {
                        noise[i] |= 1;
                    }

                    host.Raw(noise);
                    break;
            }
        }

        if (failure == HostFailure.Noise)
        {
            host.Raw([0]); // end the noise's partial frame before the next trial's Hello
        }

        ReceivedFrame fault = host.WaitFor(from, f => f.Type == MessageType.Fault, $"Fault ({failure})");
        Assert.AreEqual(FaultReason.LinkLost, fault.Fault().Reason);
        Assert.AreEqual(FreshTicks - 1, fault.Fault().TickIndex, "the Fault names the last tick handled");
        foreach (ReceivedFrame answer in host.Frames.Skip(from).Where(f => f.Type == MessageType.MotorCommand && f.Timestamp > fault.Timestamp))
        {
            Assert.AreEqual(0f, answer.MotorCommand().Duty, $"{failure}: after the Fault every answer has the motor off");
        }

        return (fault.Timestamp - lastFresh) * 1000.0 / Stopwatch.Frequency;
    }

    [TestMethod]
    public void AConfigurationHeavierThanTheDeviceRunsInAPeriodIsRefusedNamingTheLimit_AndTheDeviceStaysResponsive()
    {
        using HilHarness link = HilHarness.Start();
        link.StartDevice();
        using var host = new ScriptedHost(link.HostPort);
        host.Hello(0);
        host.WaitFor(0, f => f.Type == MessageType.HelloAck, "HelloAck");
        var settings = new RunSettings();
        RigProfile profile = settings.ResolveProfile();
        ConfigurationMessage configuration = HilConfiguration.From(settings, profile, PlannerCatalog.Build(settings, profile));
        foreach ((int samples, int horizon, int iterations) in new[] { (100000, 1000, 100), (10000, 100, 2), (2001, 40, 1) })
        {
            configuration.Samples = samples;
            configuration.Horizon = horizon;
            configuration.Iterations = iterations;
            configuration.Elites = 2;
            int from = host.FrameCount;
            AckMessage ack = host.AckFor(from, MessageType.Configuration, host.Send(ref configuration));
            Assert.AreEqual(AckStatus.InvalidValue, ack.Status, $"{samples} x {horizon} x {iterations}");
            Assert.AreEqual(AckDetail.TickWork, ack.Detail);
            Assert.AreEqual((uint)(VirtualDevice.ModelStepsPerSecond / 50), ack.Limit, "the limit at 20 ms: 8,000 model steps per tick");
        }

        int again = host.FrameCount;
        host.Hello(0);
        host.WaitFor(again, f => f.Type == MessageType.HelloAck, "HelloAck after the refusals");
        (DeviceReport device, TimeSpan exitAfter) = link.TerminateDevice();
        Assert.AreEqual(3, device.ConfigurationsRejected);
        Console.WriteLine($"device exited {exitAfter.TotalMilliseconds:F0} ms after SIGTERM");
    }

    private static void WaitUntil(long deadline)
    {
        while (true)
        {
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > 2 * Stopwatch.Frequency / 1000)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
