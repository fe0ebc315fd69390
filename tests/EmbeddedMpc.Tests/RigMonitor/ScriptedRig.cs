using System;
using System.Diagnostics;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Hil;

namespace EmbeddedMpc.Tests.RigMonitor;

/// <summary>
/// A stand-in for a board in rig mode, for testing what `monitor` does with a link (not what a rig does):
/// from its start it streams one Telemetry frame per control period on its own clock, whether or not
/// anyone listens, with fields that are known functions of the tick index (<see cref="Expected"/>), so a
/// test can tell every recorded row from an invented one. It answers Hello with a HelloAck and Start,
/// Stop and Reset with Acks (Start puts it in SwingUp, Stop in Ready). When its port goes away it keeps
/// counting ticks and opens the port again as soon as it exists: a running rig that the PC lost.
/// </summary>
internal sealed class ScriptedRig : IDisposable
{
    public const uint PeriodMicroseconds = 20_000;

    private readonly string _port;
    private readonly Thread _sender;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ManualResetEventSlim _stopping = new();
    private readonly object _gate = new();
    private readonly FrameEncoder _encoder = new();
    private readonly byte[] _frame = new byte[FrameLayout.MaxWireFrameLength];
    private SerialLink? _link;
    private Thread? _receiver;
    private SupervisorMode _mode = SupervisorMode.Ready;
    private long _nextTick;
    private int _commandsAccepted;

    public ScriptedRig(string port)
    {
        _port = port;
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "scripted rig" };
        _sender.Start();
    }

    /// <summary>Commands the rig accepted.</summary>
    public int CommandsAccepted => Volatile.Read(ref _commandsAccepted);

    /// <summary>The telemetry of tick <paramref name="tick"/> (whatever the mode).</summary>
    public static TelemetryRecord Expected(uint tick, SupervisorMode mode)
    {
        var record = new TelemetryRecord { TickIndex = tick, Mode = mode, PlanningMicroseconds = 500 + (int)(tick % 7), ModelSteps = 30 };
        record.State.X = 0.1f * (tick % 50) / 50f;
        record.State.Theta = 3.1f - 0.001f * (tick % 1000);
        record.State.ThetaDot = 0.01f * (tick % 13);
        record.Command = mode == SupervisorMode.SwingUp ? 0.5f : 0f;
        record.Duty = record.Command;
        record.CartCount = -3 * (int)tick;
        record.PoleCount = 1200 + (int)(tick % 2400);
        record.Inputs = (byte)(tick % 16);
        record.Activity = mode == SupervisorMode.SwingUp ? RigActivity.Control : RigActivity.None;
        record.TickPeriodMicroseconds = (int)PeriodMicroseconds + (int)(tick % 5);
        record.FreeMemoryBytes = 40_000;
        record.ModelId = 0xC0FFEE00u;
        return record;
    }

    private void SendLoop()
    {
        while (!_stopping.IsSet)
        {
            SerialLink? link = EnsureOpen();
            long due = (long)(_clock.Elapsed.TotalSeconds * 1e6 / PeriodMicroseconds);
            lock (_gate)
            {
                // The rig's clock runs whether or not the link is up: ticks while it is down are never sent.
                for (; _nextTick <= due; _nextTick++)
                {
                    if (link is null)
                    {
                        continue;
                    }

                    var telemetry = new TelemetryMessage { Record = Expected((uint)_nextTick, _mode) };
                    int length = _encoder.Encode(ref telemetry, _frame, 0);
                    link.Transmit(_frame, 0, length);
                }
            }

            _stopping.Wait(5);
        }
    }

    private SerialLink? EnsureOpen()
    {
        lock (_gate)
        {
            if (_link is { IsClosed: false } open)
            {
                if (!open.CloseIfVanished())
                {
                    return open;
                }
            }

            try
            {
                _link = SerialLink.Open(_port, HilDefaults.BaudRate);
            }
            catch (ArgumentException)
            {
                _link = null;
                return null;
            }

            SerialLink link = _link;
            _receiver = new Thread(() => ReceiveLoop(link)) { IsBackground = true, Name = "scripted rig receiver" };
            _receiver.Start();
            return link;
        }
    }

    private void ReceiveLoop(SerialLink link)
    {
        while (!_stopping.IsSet && link.Receive((decoder, _) => Answer(link, decoder)))
        {
        }
    }

    private void Answer(SerialLink link, FrameDecoder decoder)
    {
        lock (_gate)
        {
            int length = 0;
            if (decoder.MessageType == MessageType.Hello)
            {
                var ack = new HelloAckMessage { ProtocolVersion = FrameLayout.ProtocolVersion, FirmwareMajor = 9, ControlPeriodMicroseconds = PeriodMicroseconds, Flags = HelloMessage.FlagSendTelemetry };
                length = _encoder.Encode(ref ack, _frame, 0);
            }
            else if (decoder.MessageType == MessageType.Command)
            {
                var command = new CommandMessage();
                command.Read(decoder.Frame, FrameLayout.PayloadOffset);
                _mode = command.Command switch
                {
                    DeviceCommand.Start => SupervisorMode.SwingUp,
                    DeviceCommand.Stop or DeviceCommand.Reset => SupervisorMode.Ready,
                    _ => _mode,
                };
                var ack = new AckMessage { AcknowledgedType = MessageType.Command, AcknowledgedSequence = decoder.Sequence, Status = AckStatus.Accepted };
                length = _encoder.Encode(ref ack, _frame, 0);
                Interlocked.Increment(ref _commandsAccepted);
            }

            if (length > 0)
            {
                link.Transmit(_frame, 0, length);
            }
        }
    }

    public void Dispose()
    {
        _stopping.Set();
        _sender.Join();
        lock (_gate)
        {
            _link?.Close();
        }

        _receiver?.Join(TimeSpan.FromSeconds(10));
        _link?.Dispose();
    }
}
