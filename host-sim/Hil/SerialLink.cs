using System;
using System.Diagnostics;
using System.IO;
using System.IO.Ports;
using System.Threading;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// One end of the serial link (PROTOCOL.md): a <see cref="SerialPort"/> (8N1, no flow control) with the
/// Core's <see cref="FrameEncoder"/> for what this end sends and <see cref="FrameDecoder"/> for what it
/// receives (or, for the Core's <see cref="HilDevice"/>, raw bytes in and whole frames out through
/// <see cref="ILinkTransmitter"/>). Sending is thread-safe (one lock; every call writes whole frames
/// with one port write). Receiving runs on one thread, the caller's, and blocks until bytes come or
/// another thread calls <see cref="Close"/> (no read timeouts; see <see cref="Open"/>). An optional
/// <see cref="LinkFaultInjector"/> corrupts or drops whole frames in both directions (a test aid).
/// </summary>
public sealed class SerialLink : ILinkTransmitter, IDisposable
{
    private readonly SerialPort _port;
    private readonly FrameEncoder _encoder = new();
    private readonly FrameDecoder _decoder = new();
    private readonly byte[] _sendBuffer = new byte[4 * FrameLayout.MaxWireFrameLength];   // [frames of one write]
    private readonly byte[] _injectedBuffer = new byte[4 * FrameLayout.MaxWireFrameLength]; // [the same after fault injection]
    private readonly byte[] _receiveBuffer = new byte[4096];
    private readonly object _sendLock = new();
    private readonly LinkFaultInjector? _injector;
    private int _pending;
    private long _writeFailures;
    private volatile bool _closed;
    private int _portReleased; // 1 once the port has been closed (Close is idempotent across threads)

    private SerialLink(SerialPort port, LinkFaultInjector? injector)
    {
        _port = port;
        _injector = injector;
    }

    /// <summary>The receiving decoder and its link-quality counters (read them from the receiving thread, or once it has stopped).</summary>
    public FrameDecoder Decoder => _decoder;

    /// <summary>The fault injector, if any.</summary>
    public LinkFaultInjector? Injector => _injector;

    /// <summary>True once the port has closed or failed.</summary>
    public bool IsClosed => _closed;

    /// <summary>Writes that failed (timed out or the port went away).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Opens <paramref name="portName"/> at <paramref name="baudRate"/>, 8N1, no flow control.</summary>
    /// <exception cref="ArgumentException">The port cannot be opened (the message says why).</exception>
    public static SerialLink Open(string portName, int baudRate, LinkFaultInjector? injector = null)
    {
        if (baudRate < 1200 || baudRate > 4_000_000)
        {
            throw new ArgumentException($"--baud must be in [1200, 4000000]; got {baudRate}.");
        }

        var port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            // No read timeout: on Unix, SerialStream can lose bytes it has just read when a timed read is
            // cancelled at that moment (the read's result is dropped). Reads block; Close() ends them.
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = 1000,
            ReadBufferSize = 65536,
            WriteBufferSize = 65536,
        };
        try
        {
            port.Open();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new ArgumentException($"cannot open serial port '{portName}': {error.Message}");
        }

        return new SerialLink(port, injector);
    }

    /// <summary>Sends a lone delimiter, which ends whatever partial frame the other side holds.</summary>
    public void SendDelimiter()
    {
        lock (_sendLock)
        {
            _sendBuffer[_pending++] = FrameLayout.Delimiter;
            FlushLocked();
        }
    }

    /// <summary>Sends a Hello; returns its sequence number.</summary>
    public ushort Send(ref HelloMessage message)
    {
        lock (_sendLock)
        {
            ushort sequence = _encoder.NextSequence;
            _pending += _encoder.Encode(ref message, _sendBuffer, _pending);
            FlushLocked();
            return sequence;
        }
    }

    /// <summary>Sends a Configuration; returns its sequence number.</summary>
    public ushort Send(ref ConfigurationMessage message)
    {
        lock (_sendLock)
        {
            ushort sequence = _encoder.NextSequence;
            _pending += _encoder.Encode(ref message, _sendBuffer, _pending);
            FlushLocked();
            return sequence;
        }
    }

    /// <summary>Sends a Command; returns its sequence number.</summary>
    public ushort Send(ref CommandMessage message)
    {
        lock (_sendLock)
        {
            ushort sequence = _encoder.NextSequence;
            _pending += _encoder.Encode(ref message, _sendBuffer, _pending);
            FlushLocked();
            return sequence;
        }
    }

    /// <summary>Sends a SensorReadings; returns the Stopwatch timestamp taken just before the write.</summary>
    public long Send(ref SensorReadingsMessage message)
    {
        lock (_sendLock)
        {
            _pending += _encoder.Encode(ref message, _sendBuffer, _pending);
            long timestamp = Stopwatch.GetTimestamp();
            FlushLocked();
            return timestamp;
        }
    }

    /// <summary>
    /// Sends whole frames the caller encoded (the Core's <see cref="HilDevice"/>), with one port write.
    /// </summary>
    public void Transmit(byte[] buffer, int offset, int count)
    {
        if (count <= 0 || count > _sendBuffer.Length)
        {
            return;
        }

        lock (_sendLock)
        {
            Array.Copy(buffer, offset, _sendBuffer, 0, count);
            _pending = count;
            FlushLocked();
        }
    }

    /// <summary>
    /// Waits for bytes and hands them,
    /// undecoded, to <paramref name="onBytes"/> (buffer, count) with the Stopwatch timestamp of their arrival.
    /// </summary>
    /// <returns>False once the port has closed (<see cref="Close"/>, the other end went away) or failed.</returns>
    public bool ReceiveBytes(Action<byte[], int> onBytes)
    {
        int count = ReadChunk();
        if (count < 0)
        {
            return false;
        }

        if (count > 0)
        {
            if (_injector is null)
            {
                onBytes(_receiveBuffer, count);
            }
            else
            {
                _injector.ProcessIncoming(_receiveBuffer, count, onBytes);
            }
        }

        return true;
    }

    /// <summary>
    /// Waits for bytes and calls
    /// <paramref name="onFrame"/> for each accepted frame with the Stopwatch timestamp of its arrival;
    /// the frame is in <see cref="Decoder"/> during the call.
    /// </summary>
    /// <returns>False once the port has closed (the other end went away) or failed.</returns>
    public bool Receive(Action<FrameDecoder, long> onFrame)
    {
        int count = ReadChunk();
        if (count <= 0)
        {
            return count == 0;
        }

        long timestamp = Stopwatch.GetTimestamp();
        if (_injector is null)
        {
            Deliver(_receiveBuffer, count, timestamp, onFrame);
        }
        else
        {
            _injector.ProcessIncoming(_receiveBuffer, count, (bytes, length) => Deliver(bytes, length, timestamp, onFrame));
        }

        return true;
    }

    // Bytes read into _receiveBuffer (blocking until some come); 0 for none, -1 once the port is closed.
    private int ReadChunk()
    {
        if (_closed)
        {
            return -1;
        }

        int count;
        try
        {
            count = _port.Read(_receiveBuffer, 0, _receiveBuffer.Length);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or ObjectDisposedException or UnauthorizedAccessException or TimeoutException)
        {
            _closed = true;
            return -1;
        }

        return _closed ? -1 : Math.Max(0, count);
    }

    /// <summary>
    /// Closes the port when its device node has gone away, and returns true then. A hung-up port does not
    /// fail the reads of SerialPort on Unix (a pty whose other end has gone reads as end of file, which
    /// SerialStream swallows, and the read waits for ever), but its device node goes away, as does that of
    /// a USB adapter that is unplugged. Call it from another thread than the reading one, now and then.
    /// </summary>
    public bool CloseIfVanished()
    {
        if (_closed)
        {
            return true;
        }

        if (!Path.IsPathRooted(_port.PortName) || OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            // Follow a symbolic link (socat's link=, udev's /dev/serial/by-id/...) to the device node itself:
            // the link outlives its target when the process that made it is killed.
            var node = new FileInfo(_port.PortName);
            FileSystemInfo? target = node.LinkTarget is null ? node : node.ResolveLinkTarget(returnFinalTarget: true);
            if (target is { Exists: true })
            {
                return false;
            }
        }
        catch (IOException)
        {
            // A link that cannot be followed (a loop): the port is gone.
        }

        Close();
        return true;
    }

    /// <summary>Closes the port (from any thread); a read waiting on it returns, and sending stops.</summary>
    /// <remarks>
    /// Idempotent and safe to race: the reader thread closes the link when the port fails while the
    /// owner closes it at shutdown, so only the first caller touches the port, and a port that the
    /// runtime has already torn down (disposed, or its file gone) counts as closed.
    /// </remarks>
    public void Close()
    {
        _closed = true;
        if (Interlocked.Exchange(ref _portReleased, 1) != 0)
        {
            return;
        }

        try
        {
            _port.Close();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The other end is already gone, or the port was torn down under us: either way it is closed.
        }
    }

    /// <summary>Closes the port; safe to call more than once and after <see cref="Close"/>.</summary>
    public void Dispose()
    {
        Close();
    }

    private void Deliver(byte[] bytes, int count, long timestamp, Action<FrameDecoder, long> onFrame)
    {
        int offset = 0;
        while (offset < count)
        {
            offset += _decoder.Feed(bytes, offset, count - offset);
            if (_decoder.HasFrame)
            {
                onFrame(_decoder, timestamp);
            }
        }
    }

    private void FlushLocked()
    {
        byte[] bytes = _sendBuffer;
        int count = _pending;
        _pending = 0;
        if (_injector is not null)
        {
            count = _injector.ProcessOutgoing(_sendBuffer, count, _injectedBuffer);
            bytes = _injectedBuffer;
        }

        if (count == 0 || _closed)
        {
            return;
        }

        try
        {
            _port.Write(bytes, 0, count);
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref _writeFailures);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or ObjectDisposedException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _writeFailures);
            _closed = true;
        }
    }
}
