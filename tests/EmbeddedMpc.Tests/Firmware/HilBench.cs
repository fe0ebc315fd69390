using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.Firmware.Hil;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Firmware;

/// <summary>A microsecond clock the test sets by hand.</summary>
internal sealed class ManualClock : IMicrosecondClock
{
    public long NowMicroseconds { get; set; }
}

/// <summary>One frame the device sent, as a host decodes it.</summary>
internal sealed record SentFrame(MessageType Type, ushort Sequence, byte[] Payload, int Write);

/// <summary>
/// The host's end of the link in the tests: decodes every byte the device transmits (as a host would)
/// and keeps the frames, numbered by the write they came in. Recording can be switched off for the
/// allocation test; the last MotorCommand is decoded either way, into a reused message.
/// </summary>
internal sealed class RecordingTransmitter : ILinkTransmitter
{
    private readonly FrameDecoder _decoder = new();

    public List<SentFrame> Frames { get; } = new();

    public bool Recording { get; set; } = true;

    public int Writes { get; private set; }

    public MotorCommandMessage LastMotorCommand;

    /// <summary>Runs inside each write (e.g. to make the write slow by advancing the clock).</summary>
    public System.Action? DuringWrite { get; set; }

    public FrameDecoder Decoder => _decoder;

    public void Transmit(byte[] buffer, int offset, int count)
    {
        Writes++;
        DuringWrite?.Invoke();
        int end = offset + count;
        while (offset < end)
        {
            offset += _decoder.Feed(buffer, offset, end - offset);
            if (!_decoder.HasFrame)
            {
                continue;
            }

            if (_decoder.MessageType == MessageType.MotorCommand)
            {
                LastMotorCommand.Read(_decoder.Frame, FrameLayout.PayloadOffset);
            }

            if (Recording)
            {
                Frames.Add(new SentFrame(_decoder.MessageType, _decoder.Sequence,
                    _decoder.Frame.Skip(FrameLayout.PayloadOffset).Take(_decoder.PayloadLength).ToArray(), Writes));
            }
        }
    }

    public List<SentFrame> Since(int frameCount) => Frames.Skip(frameCount).ToList();

    public List<SentFrame> OfType(MessageType type) => Frames.Where(f => f.Type == type).ToList();
}

/// <summary>
/// The firmware's HIL mode on the host: the Core's <see cref="HilDevice"/> with the firmware's
/// <see cref="HilController"/> (firmware/EmbeddedMpc.Firmware/Hil), a hand-set clock, and a test host
/// that encodes frames with its own <see cref="FrameEncoder"/> and hands them to the device.
/// </summary>
internal sealed class HilBench
{
    private readonly FrameEncoder _host = new();
    private readonly byte[] _wire = new byte[FrameLayout.MaxWireFrameLength];
    private SensorReadingsMessage _readings;

    public HilBench()
    {
        Controller = new HilController(RigProfiles.Esp32Rig(), Sensors, Motor, Clock);
        Device = new HilDevice(Controller, Sensors, Motor, Clock, Link, FirmwareSettings.VersionMajor, FirmwareSettings.VersionMinor, FirmwareSettings.VersionPatch);
    }

    public ManualClock Clock { get; } = new();

    public HilSensors Sensors { get; } = new();

    public HilMotorDriver Motor { get; } = new();

    public HilController Controller { get; }

    public RecordingTransmitter Link { get; } = new();

    public HilDevice Device { get; }

    /// <summary>The Configuration of the firmware's own settings: the ESP32 rig, 8 x 40 CEM, seed 1.</summary>
    public static ConfigurationMessage FirmwareConfiguration()
    {
        var configuration = new ConfigurationMessage();
        configuration.SetRig(RigProfiles.Esp32Rig());
        configuration.SetPlanner(ControlStack.DefaultPlannerSettings());
        return configuration;
    }

    /// <summary>A reading of a rig at rest at power-on: counts 0, switches closed, E-stop released.</summary>
    public static SensorReading RestingReading() => new();

    /// <summary>The last Ack the device sent in answer to <see cref="Configure"/> or <see cref="Command"/>.</summary>
    public AckMessage LastAck { get; private set; }

    public HelloAckMessage Hello(uint flags)
    {
        var hello = new HelloMessage { ProtocolVersion = FrameLayout.ProtocolVersion, ClientId = 0xC0FFEE, Flags = flags };
        int before = Link.Frames.Count;
        Deliver(_host.Encode(ref hello, _wire, 0));
        SentFrame answer = Link.Since(before).Single(f => f.Type == MessageType.HelloAck);
        var helloAck = new HelloAckMessage();
        helloAck.Read(answer.Payload, 0);
        return helloAck;
    }

    public AckStatus Configure(ConfigurationMessage configuration)
    {
        ushort sequence = _host.NextSequence;
        int before = Link.Frames.Count;
        Deliver(_host.Encode(ref configuration, _wire, 0));
        return AckFor(before, MessageType.Configuration, sequence);
    }

    public AckStatus Command(DeviceCommand command)
    {
        var message = new CommandMessage { Command = command };
        ushort sequence = _host.NextSequence;
        int before = Link.Frames.Count;
        Deliver(_host.Encode(ref message, _wire, 0));
        return AckFor(before, MessageType.Command, sequence);
    }

    /// <summary>Sends SensorReadings(<paramref name="tickIndex"/>); returns the frames the device sent in answer.</summary>
    public List<SentFrame> Readings(uint tickIndex, SensorReading reading)
    {
        int before = Link.Frames.Count;
        Deliver(EncodeReadings(tickIndex, reading));
        return Link.Since(before);
    }

    /// <summary>Encodes SensorReadings into the bench's wire buffer (allocation-free) and returns its length.</summary>
    public int EncodeReadings(uint tickIndex, SensorReading reading)
    {
        _readings.TickIndex = tickIndex;
        _readings.Reading = reading;
        return _host.Encode(ref _readings, _wire, 0);
    }

    /// <summary>Hands the first <paramref name="length"/> bytes of the wire buffer to the device.</summary>
    public void Deliver(int length) => Device.Receive(_wire, 0, length);

    public byte[] Wire => _wire;

    public void Heartbeat()
    {
        var heartbeat = new HeartbeatMessage { TimeMicroseconds = (uint)Clock.NowMicroseconds };
        Deliver(_host.Encode(ref heartbeat, _wire, 0));
    }

    private AckStatus AckFor(int framesBefore, MessageType type, ushort sequence)
    {
        SentFrame frame = Link.Since(framesBefore).Single(f => f.Type == MessageType.Ack);
        var ack = new AckMessage();
        ack.Read(frame.Payload, 0);
        LastAck = ack;
        Assert.AreEqual(type, ack.AcknowledgedType, "the Ack names the type it answers");
        Assert.AreEqual(sequence, ack.AcknowledgedSequence, "the Ack names the sequence number it answers");
        return ack.Status;
    }
}

/// <summary>Reads a device frame's payload into its message struct.</summary>
internal static class SentFrames
{
    public static MotorCommandMessage MotorCommand(this SentFrame frame) => Read<MotorCommandMessage>(frame, MessageType.MotorCommand, (ref MotorCommandMessage m, byte[] p) => m.Read(p, 0));

    public static TelemetryMessage Telemetry(this SentFrame frame) => Read<TelemetryMessage>(frame, MessageType.Telemetry, (ref TelemetryMessage m, byte[] p) => m.Read(p, 0));

    public static TickStatisticsMessage TickStatistics(this SentFrame frame) => Read<TickStatisticsMessage>(frame, MessageType.TickStatistics, (ref TickStatisticsMessage m, byte[] p) => m.Read(p, 0));

    public static FaultMessage Fault(this SentFrame frame) => Read<FaultMessage>(frame, MessageType.Fault, (ref FaultMessage m, byte[] p) => m.Read(p, 0));

    public static HeartbeatMessage Heartbeat(this SentFrame frame) => Read<HeartbeatMessage>(frame, MessageType.Heartbeat, (ref HeartbeatMessage m, byte[] p) => m.Read(p, 0));

    public static LoopStatisticsMessage LoopStatistics(this SentFrame frame) => Read<LoopStatisticsMessage>(frame, MessageType.LoopStatistics, (ref LoopStatisticsMessage m, byte[] p) => m.Read(p, 0));

    private delegate void Reader<T>(ref T message, byte[] payload);

    private static T Read<T>(SentFrame frame, MessageType type, Reader<T> read)
        where T : struct
    {
        Assert.AreEqual(type, frame.Type);
        T message = default;
        read(ref message, frame.Payload);
        return message;
    }
}
