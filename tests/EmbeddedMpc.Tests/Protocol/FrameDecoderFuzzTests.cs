using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class FrameDecoderFuzzTests
{
    private const int MutatedFrameCount = 120_000;
    private const int RandomChunkCount = 30_000;

    private enum Mutation
    {
        BitFlips,
        ByteSubstitutions,
        TruncatedWithDelimiter,
        TruncatedWithoutDelimiter,
        Insertions,
        Deletions,
        ExtraDelimiters,
        OversizeRunBefore,
        SplicedWithPreviousFrame,
        AdjacentSwap,
        CorrectCrcWrongVersion,
        CorrectCrcUnknownType,
        CorrectCrcWrongLengthByte,
        CorrectCrcWrongPayloadLength,
        CorrectCrcPayloadResizedLengthByteKept,
    }

    [TestMethod]
    public void NoMutatedOrRandomFrameIsEverAcceptedAndNoExceptionEscapes()
    {
        // Scenario: a receiver fed 120,000 seeded mutations of valid frames (bit flips, substitutions,
        // truncations, insertions, deletions, extra delimiters, oversize runs, splices, swaps, and frames
        // re-stuffed with a correct CRC but a wrong version, type, length byte or payload size), 30,000 chunks of random
        // bytes, and, after a delimiter, an intact frame every fourth mutation; in chunks of random size.
        // Pass: nothing throws; every accepted frame passes the test's own checks (bitwise CRC, the
        // document's length table) and is byte for byte a frame the encoder produced; every intact frame
        // is accepted; every rejection reason was exercised.
        var random = new Random(424242);
        var encoder = new FrameEncoder();
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        var raw = new byte[FrameLayout.MaxRawFrameLength];
        var encodedFrames = new HashSet<string>(StringComparer.Ordinal);
        var intactFrames = new HashSet<string>(StringComparer.Ordinal);
        var stream = new List<byte>(12_000_000);
        var mutationCounts = new int[Enum.GetValues<Mutation>().Length];
        byte[] previous = [];

        for (int i = 0; i < MutatedFrameCount; i++)
        {
            byte[] frame = EncodeRandomFrame(encoder, random, wire, raw, encodedFrames, out string _);
            var mutation = (Mutation)random.Next(mutationCounts.Length);
            mutationCounts[(int)mutation]++;
            stream.AddRange(Mutate(frame, previous, mutation, random));
            previous = frame;

            if (i % 4 == 0)
            {
                stream.Add(0);
                byte[] intact = EncodeRandomFrame(encoder, random, wire, raw, encodedFrames, out string intactKey);
                intactFrames.Add(intactKey);
                stream.AddRange(intact);
            }
        }

        for (int i = 0; i < RandomChunkCount; i++)
        {
            // Zero with probability 1/32, so most chunks hold several candidate frames of plausible size.
            int length = random.Next(1, 300);
            for (int j = 0; j < length; j++)
            {
                stream.Add(random.Next(32) == 0 ? (byte)0 : (byte)random.Next(1, 256));
            }
        }

        byte[] bytes = stream.ToArray();
        var decoder = new FrameDecoder();
        var acceptedIntact = new HashSet<string>(StringComparer.Ordinal);
        int accepted = 0;
        int offset = 0;
        while (offset < bytes.Length)
        {
            int chunk = Math.Min(random.Next(1, 65), bytes.Length - offset);
            int end = offset + chunk;
            while (offset < end)
            {
                offset += decoder.Feed(bytes, offset, end - offset);
                if (!decoder.HasFrame)
                {
                    continue;
                }

                accepted++;
                int frameLength = FrameLayout.HeaderLength + decoder.PayloadLength + FrameLayout.CrcLength;
                string? problem = ProtocolTestSupport.WhyNotConforming(decoder.Frame, frameLength);
                Assert.IsNull(problem, $"accepted a non-conforming frame at stream byte {offset}: {problem}");
                string key = Convert.ToHexString(decoder.Frame, 0, frameLength);
                Assert.IsTrue(encodedFrames.Contains(key), $"accepted a frame the encoder never produced: {key}");
                if (intactFrames.Contains(key))
                {
                    acceptedIntact.Add(key);
                }
            }
        }

        string summary = $"{bytes.Length:N0} bytes, {MutatedFrameCount:N0} mutated frames, {RandomChunkCount:N0} random chunks, "
            + $"{intactFrames.Count:N0} intact frames; accepted {accepted:N0}; rejected: oversize {decoder.OversizeFrames:N0}, "
            + $"COBS {decoder.CobsErrors:N0}, CRC {decoder.CrcErrors:N0}, length {decoder.LengthErrors:N0}, "
            + $"version {decoder.VersionErrors:N0}, unknown type {decoder.UnknownTypeFrames:N0}; mutations: "
            + string.Join(", ", Enum.GetValues<Mutation>().Select(m => $"{m} {mutationCounts[(int)m]:N0}"));
        Console.WriteLine(summary);

        Assert.AreEqual(intactFrames.Count, acceptedIntact.Count, "intact frames after a delimiter must all get through: " + summary);
        Assert.IsTrue(MutatedFrameCount + RandomChunkCount >= 100_000);
        Assert.IsTrue(mutationCounts.All(c => c > 5000), "every mutation kind is well represented: " + summary);
        foreach ((string reason, uint count) in new[]
        {
            ("oversize", decoder.OversizeFrames), ("COBS", decoder.CobsErrors), ("CRC", decoder.CrcErrors),
            ("length", decoder.LengthErrors), ("version", decoder.VersionErrors), ("unknown type", decoder.UnknownTypeFrames),
        })
        {
            Assert.IsTrue(count > 1000, $"rejection reason '{reason}' was hardly exercised: " + summary);
        }
    }

    // Encodes a random message of a random type; records the unstuffed frame as validly encoded.
    private static byte[] EncodeRandomFrame(FrameEncoder encoder, Random random, byte[] wire, byte[] raw, HashSet<string> encodedFrames, out string key)
    {
        MessageSpec spec = ProtocolTestSupport.MessageTable[random.Next(ProtocolTestSupport.MessageTable.Length)];
        object message = ProtocolTestSupport.RandomMessage(spec.MessageStruct, random);
        int length = ProtocolTestSupport.EncodeBoxed(encoder, message, wire, 0);
        int rawLength = Cobs.Decode(wire, 0, length - 1, raw, 0);
        key = Convert.ToHexString(raw, 0, rawLength);
        encodedFrames.Add(key);
        return wire[..length];
    }

    private static byte[] Mutate(byte[] frame, byte[] previous, Mutation mutation, Random random)
    {
        var bytes = new List<byte>(frame);
        switch (mutation)
        {
            case Mutation.BitFlips:
                for (int n = random.Next(1, 9); n > 0; n--)
                {
                    int bit = random.Next(bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                break;
            case Mutation.ByteSubstitutions:
                for (int n = random.Next(1, 5); n > 0; n--)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }

                break;
            case Mutation.TruncatedWithDelimiter:
                bytes = bytes.Take(random.Next(1, bytes.Count - 1)).ToList(); // at least one byte before the delimiter lost
                bytes.Add(0);
                break;
            case Mutation.TruncatedWithoutDelimiter:
                bytes = bytes.Take(random.Next(1, bytes.Count - 1)).ToList();
                break;
            case Mutation.Insertions:
                for (int n = random.Next(1, 6); n > 0; n--)
                {
                    bytes.Insert(random.Next(bytes.Count), (byte)random.Next(256));
                }

                break;
            case Mutation.Deletions:
                for (int n = random.Next(1, 6); n > 0 && bytes.Count > 1; n--)
                {
                    bytes.RemoveAt(random.Next(bytes.Count));
                }

                break;
            case Mutation.ExtraDelimiters:
                for (int n = random.Next(1, 4); n > 0; n--)
                {
                    bytes.Insert(random.Next(bytes.Count + 1), 0);
                }

                break;
            case Mutation.OversizeRunBefore:
                bytes.InsertRange(0, Enumerable.Range(0, random.Next(FrameLayout.MaxStuffedFrameLength + 1, 700)).Select(_ => (byte)random.Next(1, 256)));
                break;
            case Mutation.SplicedWithPreviousFrame:
                if (previous.Length > 2)
                {
                    bytes = bytes.Take(random.Next(1, bytes.Count - 1)).Concat(previous.Skip(random.Next(1, previous.Length - 1))).ToList();
                }
                else
                {
                    bytes[0] ^= 0x40;
                }

                break;
            case Mutation.AdjacentSwap:
                int at = random.Next(bytes.Count - 2);
                if (bytes[at] == bytes[at + 1])
                {
                    bytes[at] ^= 0x01;
                }

                (bytes[at], bytes[at + 1]) = (bytes[at + 1], bytes[at]);
                break;
            default:
                return RestuffedWithCorrectCrc(frame, mutation, random);
        }

        return bytes.ToArray();
    }

    // A frame with a correct CRC but a wrong version, type or length: exactly what the CRC cannot catch.
    private static byte[] RestuffedWithCorrectCrc(byte[] frame, Mutation mutation, Random random)
    {
        var raw = new byte[FrameLayout.MaxRawFrameLength + 8];
        int rawLength = Cobs.Decode(frame, 0, frame.Length - 1, raw, 0);
        var body = raw.Take(rawLength - FrameLayout.CrcLength).ToList();
        int typeLength = ProtocolTestSupport.SpecifiedPayloadLength(body[1]);
        switch (mutation)
        {
            case Mutation.CorrectCrcWrongVersion:
                body[0] = (byte)random.Next(2, 256);
                break;
            case Mutation.CorrectCrcUnknownType:
                byte type;
                do
                {
                    type = (byte)random.Next(256);
                }
                while (ProtocolTestSupport.SpecifiedPayloadLength(type) >= 0);
                body[1] = type;
                break;
            case Mutation.CorrectCrcWrongLengthByte:
                body[4] = (byte)(typeLength + random.Next(1, 200));
                break;
            case Mutation.CorrectCrcWrongPayloadLength:
            case Mutation.CorrectCrcPayloadResizedLengthByteKept:
                int change = random.Next(1, 4) * (random.Next(2) == 0 ? -1 : 1);
                if (typeLength + change < 0)
                {
                    change = -change;
                }

                if (change < 0)
                {
                    body.RemoveRange(body.Count + change, -change);
                }
                else
                {
                    body.AddRange(Enumerable.Range(0, change).Select(_ => (byte)random.Next(256)));
                }

                if (mutation == Mutation.CorrectCrcWrongPayloadLength)
                {
                    body[4] = (byte)(typeLength + change); // the length byte agrees with the bytes, not with the type
                }

                // else the length byte still claims the type's length, but the bytes present differ
                break;
        }

        byte[] unstuffed = body.ToArray();
        byte[] withCrc = unstuffed.Concat(BitConverter.GetBytes(ProtocolTestSupport.ReferenceCrc32(unstuffed, 0, unstuffed.Length))).ToArray();
        var stuffed = new byte[Cobs.MaxEncodedLength(withCrc.Length) + 1];
        int length = Cobs.Encode(withCrc, 0, withCrc.Length, stuffed, 0);
        return stuffed[..(length + 1)];
    }
}
