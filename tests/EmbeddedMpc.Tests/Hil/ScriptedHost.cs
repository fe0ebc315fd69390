using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Hil;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>One frame the device sent, with the Stopwatch timestamp of its arrival at the host.</summary>
internal sealed record ReceivedFrame(MessageType Type, ushort Sequence, byte[] Payload, long Timestamp)
{
    public AckMessage Ack() => Read(MessageType.Ack, (ref AckMessage m, byte[] p) => m.Read(p, 0));

    public MotorCommandMessage MotorCommand() => Read(MessageType.MotorCommand, (ref MotorCommandMessage m, byte[] p) => m.Read(p, 0));

    public FaultMessage Fault() => Read(MessageType.Fault, (ref FaultMessage m, byte[] p) => m.Read(p, 0));

    private delegate void Reader<T>(ref T message, byte[] payload);

    private T Read<T>(MessageType type, Reader<T> read) where T : struct
    {
        Assert.AreEqual(type, Type);
        T message = default;
        read(ref message, Payload);
        return message;
    }
}

/// <summary>
/// A host written frame by frame for the link tests: it sends exactly what a test says (Hellos with chosen
/// numbers, readings with chosen TickIndex values, noise) on the host end of a <see cref="HilHarness"/>,
/// and keeps every frame the device sends with its arrival time (a receive thread). Waits are bounded
/// waits for a frame, never fixed sleeps.
/// </summary>
internal sealed class ScriptedHost : IDisposable
{
    /// <summary>Bound on waiting for an answer that the device sends at once: generous for a loaded machine.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly SerialLink _link;
    private readonly FrameEncoder _encoder = new();
    private readonly byte[] _wire = new byte[4 * FrameLayout.MaxWireFrameLength];
    private readonly List<ReceivedFrame> _frames = new();
    private readonly Thread _receiver;
    private volatile bool _stopping;

    public ScriptedHost(string port)
    {
        _link = SerialLink.Open(port, HilDefaults.BaudRate);
        _receiver = new Thread(Receive) { IsBackground = true, Name = "scripted-host-receive" };
        _receiver.Start();
        _link.SendDelimiter();
    }

    /// <summary>The frames received so far (a copy).</summary>
    public ReceivedFrame[] Frames
    {
        get
        {
            lock (_frames)
            {
                return _frames.ToArray();
            }
        }
    }

    public int FrameCount
    {
        get
        {
            lock (_frames)
            {
                return _frames.Count;
            }
        }
    }

    /// <summary>Starts numbering again from <paramref name="sequence"/>, as a restarted host would.</summary>
    public void RestartNumbering(ushort sequence) => _encoder.Reset(sequence);

    public ushort Hello(uint flags)
    {
        var hello = new HelloMessage { ProtocolVersion = FrameLayout.ProtocolVersion, ClientId = 0x7E57, Flags = flags };
        ushort sequence = _encoder.NextSequence;
        Write(_encoder.Encode(ref hello, _wire, 0));
        return sequence;
    }

    public ushort Send(ref ConfigurationMessage configuration)
    {
        ushort sequence = _encoder.NextSequence;
        Write(_encoder.Encode(ref configuration, _wire, 0));
        return sequence;
    }

    public ushort Command(DeviceCommand command)
    {
        var message = new CommandMessage { Command = command };
        ushort sequence = _encoder.NextSequence;
        Write(_encoder.Encode(ref message, _wire, 0));
        return sequence;
    }

    /// <summary>
    /// Sends SensorReadings(<paramref name="tickIndex"/>): the cart at count 0 and the pole at
    /// <paramref name="poleCount"/> (on a homed device, 0 is upright and half a revolution hangs); returns the send time.
    /// </summary>
    public long Readings(uint tickIndex, long poleCount = 0)
    {
        var readings = new SensorReadingsMessage { TickIndex = tickIndex };
        readings.Reading.PoleCount = poleCount;
        int length = _encoder.Encode(ref readings, _wire, 0);
        long timestamp = Stopwatch.GetTimestamp();
        Write(length);
        return timestamp;
    }

    /// <summary>Sends SensorReadings(<paramref name="tickIndex"/>) as <see cref="Readings"/> does; returns its sequence number.</summary>
    public ushort Send(uint tickIndex, long poleCount)
    {
        ushort sequence = _encoder.NextSequence;
        Readings(tickIndex, poleCount);
        return sequence;
    }

    public void Heartbeat()
    {
        var heartbeat = new HeartbeatMessage { TimeMicroseconds = (uint)Environment.TickCount };
        Write(_encoder.Encode(ref heartbeat, _wire, 0));
    }

    /// <summary>Writes raw bytes (noise).</summary>
    public void Raw(byte[] bytes)
    {
        const int Piece = 2 * FrameLayout.MaxWireFrameLength; // SerialLink writes at most this much at once
        for (int offset = 0; offset < bytes.Length; offset += Piece)
        {
            _link.Transmit(bytes, offset, Math.Min(Piece, bytes.Length - offset));
        }
    }

    /// <summary>The first frame from index <paramref name="from"/> on that matches, waiting for it up to <see cref="AnswerTimeout"/>.</summary>
    public ReceivedFrame WaitFor(int from, Func<ReceivedFrame, bool> match, string what)
    {
        ReceivedFrame? found = TryWaitFor(from, match, AnswerTimeout);
        return found ?? throw new AssertFailedException($"no {what} from the device within {AnswerTimeout.TotalSeconds} s");
    }

    /// <summary>The first matching frame from index <paramref name="from"/> on, or null when none came within <paramref name="timeout"/>.</summary>
    public ReceivedFrame? TryWaitFor(int from, Func<ReceivedFrame, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        lock (_frames)
        {
            while (true)
            {
                for (int i = from; i < _frames.Count; i++)
                {
                    if (match(_frames[i]))
                    {
                        return _frames[i];
                    }
                }

                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                Monitor.Wait(_frames, left);
            }
        }
    }

    /// <summary>The Ack answering frame <paramref name="sequence"/> of <paramref name="type"/>.</summary>
    public AckMessage AckFor(int from, MessageType type, ushort sequence) =>
        WaitFor(from, f => f.Type == MessageType.Ack && f.Ack().AcknowledgedType == type && f.Ack().AcknowledgedSequence == sequence, $"Ack for {type} #{sequence}").Ack();

    public void Dispose()
    {
        _stopping = true;
        _link.Close();
        _receiver.Join(TimeSpan.FromSeconds(10));
        _link.Dispose();
    }

    private void Write(int length) => _link.Transmit(_wire, 0, length);

    private void Receive()
    {
        while (!_stopping)
        {
            bool open = _link.Receive((decoder, timestamp) =>
            {
                var payload = new byte[decoder.PayloadLength];
                Array.Copy(decoder.Frame, FrameLayout.PayloadOffset, payload, 0, payload.Length);
                lock (_frames)
                {
                    _frames.Add(new ReceivedFrame(decoder.MessageType, decoder.Sequence, payload, timestamp));
                    Monitor.PulseAll(_frames);
                }
            });
            if (!open)
            {
                return;
            }
        }
    }
}
