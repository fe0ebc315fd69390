using System;
using System.Diagnostics;
using System.Threading;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Hil;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>What a <see cref="RigConnection"/> hands over, on its receiving thread.</summary>
public interface IRigFrameHandler
{
    /// <summary>The port is open (the first time or again after it went away).</summary>
    void OnConnected(int connection);

    /// <summary>The port went away (closed, failed, or its device node vanished).</summary>
    void OnDisconnected(string reason);

    /// <summary>An accepted frame; it is in <paramref name="decoder"/> during the call.</summary>
    void OnFrame(FrameDecoder decoder);
}

/// <summary>
/// The PC's end of a rig's host link (PROTOCOL.md): a <see cref="SerialLink"/> read on a thread of its
/// own, frames decoded by the Core's <see cref="FrameDecoder"/> and handed to an <see cref="IRigFrameHandler"/>.
/// If the port goes away (a cable pulled, a USB adapter unplugged, the other end of a pty closed) it
/// tries to open it again every <see cref="ReconnectIntervalSeconds"/> until <see cref="Dispose"/>; the rig
/// does not wait for it (in rig mode its loop never depends on the PC). Sending is thread-safe.
/// </summary>
public sealed class RigConnection : IDisposable
{
    /// <summary>How often a lost port is tried again, s.</summary>
    public const double ReconnectIntervalSeconds = 1.0;

    private readonly string _port;
    private readonly int _baudRate;
    private readonly IRigFrameHandler _handler;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly object _gate = new();
    private SerialLink? _link;
    private long _framesAccepted;
    private long _crcErrors;
    private long _framesRejected;
    private long _versionErrors;
    private int _connections;

    private RigConnection(string port, int baudRate, IRigFrameHandler handler, SerialLink first)
    {
        _port = port;
        _baudRate = baudRate;
        _handler = handler;
        _link = first;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "monitor link" };
    }

    /// <summary>Opens <paramref name="port"/> and starts receiving.</summary>
    /// <exception cref="ArgumentException">The port cannot be opened now (the message names it and why): a first connection is not retried, so a mistyped port is reported at once.</exception>
    public static RigConnection Open(string port, int baudRate, IRigFrameHandler handler)
    {
        SerialLink first = SerialLink.Open(port, baudRate);
        var connection = new RigConnection(port, baudRate, handler, first);
        connection._thread.Start();
        return connection;
    }

    /// <summary>True while the port is open.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _link is { IsClosed: false };
            }
        }
    }

    /// <summary>Times the port was opened (1 after <see cref="Open"/>).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Frames accepted over all connections, those of the open one included.</summary>
    public long FramesAccepted => Interlocked.Read(ref _framesAccepted) + Current(d => d.FramesAccepted);

    /// <summary>Frames dropped for a bad CRC over all connections.</summary>
    public long CrcErrors => Interlocked.Read(ref _crcErrors) + Current(d => d.CrcErrors);

    /// <summary>Frames dropped for any reason (CRC, stuffing, length, version, unknown type) over all connections.</summary>
    public long FramesRejected => Interlocked.Read(ref _framesRejected) + Current(d => d.FramesRejected);

    /// <summary>Frames of another protocol version over all connections (a rig with older or newer firmware).</summary>
    public long VersionErrors => Interlocked.Read(ref _versionErrors) + Current(d => d.VersionErrors);

    /// <summary>Sends a Command; returns its sequence number, or null when the port is not open.</summary>
    public ushort? Send(ref CommandMessage message)
    {
        SerialLink? link = CurrentLink();
        return link is null ? null : link.Send(ref message);
    }

    /// <summary>Sends a Hello; returns its sequence number, or null when the port is not open.</summary>
    public ushort? Send(ref HelloMessage message)
    {
        SerialLink? link = CurrentLink();
        return link is null ? null : link.Send(ref message);
    }

    /// <summary>
    /// Closes the port if its device node has gone (a pty or USB adapter whose reads would otherwise wait for
    /// ever); the receiving thread then reconnects. Call it now and then from another thread.
    /// </summary>
    public void CloseIfVanished() => CurrentLink()?.CloseIfVanished();

    /// <summary>Stops receiving and closes the port.</summary>
    public void Dispose()
    {
        _stopping.Set();
        CurrentLink()?.Close();
        _thread.Join();
        _stopping.Dispose();
    }

    private SerialLink? CurrentLink()
    {
        lock (_gate)
        {
            return _link is { IsClosed: false } link ? link : null;
        }
    }

    // The decoder's counters are read on the receiving thread's behalf; a torn read of a counter between two
    // frames only shows one frame less on the dashboard.
    private long Current(Func<FrameDecoder, uint> counter)
    {
        lock (_gate)
        {
            return _link is null ? 0 : counter(_link.Decoder);
        }
    }

    private void ReceiveLoop()
    {
        while (!_stopping.IsSet)
        {
            SerialLink? link;
            lock (_gate)
            {
                link = _link;
            }

            if (link is null)
            {
                link = TryReopen();
                if (link is null)
                {
                    continue;
                }
            }

            int connection = Interlocked.Increment(ref _connections);
            _handler.OnConnected(connection);
            while (!_stopping.IsSet && link.Receive((decoder, _) => _handler.OnFrame(decoder)))
            {
            }

            lock (_gate)
            {
                Interlocked.Add(ref _framesAccepted, link.Decoder.FramesAccepted);
                Interlocked.Add(ref _crcErrors, link.Decoder.CrcErrors);
                Interlocked.Add(ref _framesRejected, link.Decoder.FramesRejected);
                Interlocked.Add(ref _versionErrors, link.Decoder.VersionErrors);
                _link = null;
            }

            link.Dispose();
            if (!_stopping.IsSet)
            {
                _handler.OnDisconnected($"the port {_port} went away");
            }
        }
    }

    private SerialLink? TryReopen()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var link = SerialLink.Open(_port, _baudRate);
            lock (_gate)
            {
                _link = link;
            }

            return link;
        }
        catch (ArgumentException)
        {
            // Not back yet: wait out the interval (or until stopped) and try again.
            TimeSpan left = TimeSpan.FromSeconds(ReconnectIntervalSeconds) - clock.Elapsed;
            if (left > TimeSpan.Zero)
            {
                _stopping.Wait(left);
            }

            return null;
        }
    }
}
