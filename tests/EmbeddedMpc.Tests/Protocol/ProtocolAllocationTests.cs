using System;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class ProtocolAllocationTests
{
    [TestMethod]
    public void EncodingAndDecodingAllocateNothingPerFrameAfterWarmUp()
    {
        // Scenario: the device's per-tick traffic. On nanoFramework an allocation on the tick path can
        // trigger a stop-the-world GC, so 10,000 frames of every message type are encoded, decoded and
        // read with zero bytes allocated on this thread (GC.GetAllocatedBytesForCurrentThread). The
        // loop uses only typed calls: no boxing, no formatting.
        var encoder = new FrameEncoder();
        var decoder = new FrameDecoder();
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        var hello = new HelloMessage { ProtocolVersion = 1, ClientId = 0xC0FFEE, Flags = HelloMessage.FlagLockstep };
        var helloAck = new HelloAckMessage { ProtocolVersion = 1, ControlPeriodMicroseconds = 20000 };
        var configuration = new ConfigurationMessage { CartMassKilograms = 0.5f, Samples = 24 };
        var command = new CommandMessage { Command = DeviceCommand.Start };
        var ack = new AckMessage { AcknowledgedType = MessageType.Command, Status = AckStatus.Accepted };
        var heartbeat = new HeartbeatMessage { TimeMicroseconds = 1 };
        var sensors = new SensorReadingsMessage { TickIndex = 1 };
        var motor = new MotorCommandMessage { Duty = -0.5f, ForceNewtons = 3.25f };
        var statistics = new TickStatisticsMessage { PlanningMicroseconds = 12000 };
        var telemetry = new TelemetryMessage();
        var fault = new FaultMessage { Reason = EmbeddedMpc.Core.Safety.FaultReason.LinkLost };
        var loopStatistics = new LoopStatisticsMessage { FreeMemoryBytes = 81920 };

        int accepted = 0;
        int mismatches = 0;
        long before = 0;
        const int WarmUpFrames = 1100;
        const int MeasuredFrames = 10_000;
        for (int i = 0; i < WarmUpFrames + MeasuredFrames; i++)
        {
            if (i == WarmUpFrames)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
            }

            sensors.TickIndex = (uint)i;
            sensors.Reading.CartCount = i * 7L;
            motor.TickIndex = (uint)i;
            motor.Duty = i * 1e-4f;
            telemetry.Record.TickIndex = (uint)i;
            telemetry.Record.State.Theta = i * 0.001f;
            int length;
            loopStatistics.TickIndex = (uint)i;
            switch (i % 12)
            {
                case 0: length = encoder.Encode(ref hello, wire, 0); break;
                case 1: length = encoder.Encode(ref helloAck, wire, 0); break;
                case 2: length = encoder.Encode(ref configuration, wire, 0); break;
                case 3: length = encoder.Encode(ref command, wire, 0); break;
                case 4: length = encoder.Encode(ref ack, wire, 0); break;
                case 5: length = encoder.Encode(ref heartbeat, wire, 0); break;
                case 6: length = encoder.Encode(ref sensors, wire, 0); break;
                case 7: length = encoder.Encode(ref motor, wire, 0); break;
                case 8: length = encoder.Encode(ref statistics, wire, 0); break;
                case 9: length = encoder.Encode(ref telemetry, wire, 0); break;
                case 10: length = encoder.Encode(ref fault, wire, 0); break;
                default: length = encoder.Encode(ref loopStatistics, wire, 0); break;
            }

            int offset = 0;
            while (offset < length)
            {
                offset += decoder.Feed(wire, offset, length - offset);
                if (!decoder.HasFrame)
                {
                    continue;
                }

                accepted++;
                switch (decoder.MessageType)
                {
                    case MessageType.SensorReadings:
                        uint sentTick = sensors.TickIndex;
                        sensors.Read(decoder.Frame, FrameLayout.PayloadOffset);
                        mismatches += sensors.TickIndex == sentTick ? 0 : 1;
                        break;
                    case MessageType.MotorCommand:
                        float sentDuty = motor.Duty;
                        motor.Read(decoder.Frame, FrameLayout.PayloadOffset);
                        mismatches += motor.Duty == sentDuty ? 0 : 1;
                        break;
                    case MessageType.Telemetry:
                        telemetry.Read(decoder.Frame, FrameLayout.PayloadOffset);
                        break;
                    case MessageType.Configuration:
                        configuration.Read(decoder.Frame, FrameLayout.PayloadOffset);
                        break;
                    case MessageType.LoopStatistics:
                        uint sentStatisticsTick = loopStatistics.TickIndex;
                        loopStatistics.Read(decoder.Frame, FrameLayout.PayloadOffset);
                        mismatches += loopStatistics.TickIndex == sentStatisticsTick ? 0 : 1;
                        break;
                    default:
                        heartbeat.Read(decoder.Frame, FrameLayout.PayloadOffset);
                        break;
                }
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(WarmUpFrames + MeasuredFrames, accepted, "every frame must have been decoded, or the loop measured nothing");
        Assert.AreEqual(0, mismatches, "sensor and motor values must come back unchanged");
        Assert.AreEqual(0L, allocated, $"{allocated} bytes allocated over {MeasuredFrames} frames");
    }
}
