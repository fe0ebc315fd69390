using System;
using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// A test aid that damages the link on purpose, frame by frame, in both directions: each frame (the
/// bytes up to and including its 0x00 delimiter) is dropped with probability <see cref="DropRate"/>,
/// otherwise corrupted with probability <see cref="CorruptionRate"/> by changing one of its bytes
/// (never the delimiter, and never into 0x00, so a corrupted frame stays one frame on the wire and the
/// receiver must reject exactly it). Seeded, so a run damages the same frames each time.
/// Thread-safe: each direction has its own random stream and is used by one thread.
/// </summary>
public sealed class LinkFaultInjector
{
    private readonly Random _outgoingRandom;
    private readonly Random _incomingRandom;
    private readonly byte[] _incomingFrame = new byte[1 << 16]; // bytes of the incoming frame so far
    private int _incomingLength;

    /// <param name="corruptionRate">Probability that a frame has one byte changed, [0, 1].</param>
    /// <param name="dropRate">Probability that a frame is lost, [0, 1].</param>
    /// <param name="seed">Seed of the choices.</param>
    /// <exception cref="ArgumentException">A rate is outside [0, 1].</exception>
    public LinkFaultInjector(double corruptionRate, double dropRate, uint seed)
    {
        if (!(corruptionRate >= 0 && corruptionRate <= 1))
        {
            throw new ArgumentException($"--inject-corruption must be in [0, 1]; got {corruptionRate}.");
        }

        if (!(dropRate >= 0 && dropRate <= 1))
        {
            throw new ArgumentException($"--drop-rate must be in [0, 1]; got {dropRate}.");
        }

        CorruptionRate = corruptionRate;
        DropRate = dropRate;
        _outgoingRandom = new Random(unchecked((int)(seed * 2654435761u)) ^ 0x0D1E);
        _incomingRandom = new Random(unchecked((int)(seed * 2246822519u)) ^ 0x1E0D);
    }

    public double CorruptionRate { get; }

    public double DropRate { get; }

    /// <summary>Frames this end sent with a byte changed.</summary>
    public long SentCorrupted { get; private set; }

    /// <summary>Frames this end did not send.</summary>
    public long SentDropped { get; private set; }

    /// <summary>Frames received with a byte changed before decoding.</summary>
    public long ReceivedCorrupted { get; private set; }

    /// <summary>Frames received and thrown away before decoding.</summary>
    public long ReceivedDropped { get; private set; }

    /// <summary>The figures for the summary.</summary>
    public HilInjection Report() => new(CorruptionRate, DropRate, SentCorrupted, SentDropped, ReceivedCorrupted, ReceivedDropped);

    /// <summary>Damages the whole frames in <paramref name="frames"/> (each ends with 0x00) into <paramref name="output"/>.</summary>
    /// <returns>Bytes written to <paramref name="output"/>.</returns>
    public int ProcessOutgoing(byte[] frames, int count, byte[] output)
    {
        int written = 0;
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            if (frames[i] != FrameLayout.Delimiter)
            {
                continue;
            }

            int length = i + 1 - start;
            switch (Decide(_outgoingRandom))
            {
                case Damage.Drop:
                    SentDropped++;
                    break;
                case Damage.Corrupt:
                    SentCorrupted++;
                    Array.Copy(frames, start, output, written, length);
                    CorruptOneByte(_outgoingRandom, output, written, length);
                    written += length;
                    break;
                default:
                    Array.Copy(frames, start, output, written, length);
                    written += length;
                    break;
            }

            start = i + 1;
        }

        // Bytes after the last delimiter (none for whole frames) go out as they are.
        Array.Copy(frames, start, output, written, count - start);
        return written + count - start;
    }

    /// <summary>Collects received bytes into frames and hands each frame on (damaged, or not at all) to <paramref name="deliver"/>.</summary>
    public void ProcessIncoming(byte[] bytes, int count, Action<byte[], int> deliver)
    {
        for (int i = 0; i < count; i++)
        {
            byte value = bytes[i];
            if (_incomingLength < _incomingFrame.Length)
            {
                _incomingFrame[_incomingLength++] = value;
            }

            if (value != FrameLayout.Delimiter)
            {
                continue;
            }

            int length = _incomingLength;
            _incomingLength = 0;
            if (length <= 1)
            {
                deliver(_incomingFrame, length);
                continue;
            }

            switch (Decide(_incomingRandom))
            {
                case Damage.Drop:
                    ReceivedDropped++;
                    break;
                case Damage.Corrupt:
                    ReceivedCorrupted++;
                    CorruptOneByte(_incomingRandom, _incomingFrame, 0, length);
                    deliver(_incomingFrame, length);
                    break;
                default:
                    deliver(_incomingFrame, length);
                    break;
            }
        }
    }

    private Damage Decide(Random random)
    {
        double draw = random.NextDouble();
        if (draw < DropRate)
        {
            return Damage.Drop;
        }

        return draw < DropRate + CorruptionRate ? Damage.Corrupt : Damage.None;
    }

    // Changes one byte before the delimiter to another non-zero value.
    private static void CorruptOneByte(Random random, byte[] frame, int offset, int length)
    {
        int index = offset + random.Next(length - 1);
        byte original = frame[index];
        byte replacement;
        do
        {
            replacement = (byte)random.Next(1, 256);
        }
        while (replacement == original);
        frame[index] = replacement;
    }

    private enum Damage
    {
        None,
        Drop,
        Corrupt,
    }
}
