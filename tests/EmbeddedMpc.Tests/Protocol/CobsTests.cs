using System;
using System.Linq;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class CobsTests
{
    private static byte[] Range(int first, int lastInclusive) =>
        Enumerable.Range(first, lastInclusive - first + 1).Select(i => (byte)i).ToArray();

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Encode(byte[] data)
    {
        var output = new byte[Cobs.MaxEncodedLength(data.Length)];
        int length = Cobs.Encode(data, 0, data.Length, output, 0);
        Assert.IsTrue(length > 0, "encoding into a buffer of MaxEncodedLength bytes must succeed");
        return output.Take(length).ToArray();
    }

    [TestMethod]
    public void EncodesThePublishedExamplesByteForByte()
    {
        // The examples of the COBS article (Cheshire and Baker) as listed on Wikipedia's COBS page:
        // a peer using any conforming implementation produces exactly these bytes.
        (byte[] Data, byte[] Encoded)[] examples =
        [
            ([], [0x01]),
            ([0x00], [0x01, 0x01]),
            ([0x00, 0x00], [0x01, 0x01, 0x01]),
            ([0x00, 0x11, 0x00], [0x01, 0x02, 0x11, 0x01]),
            ([0x11, 0x22, 0x00, 0x33], [0x03, 0x11, 0x22, 0x02, 0x33]),
            ([0x11, 0x22, 0x33, 0x44], [0x05, 0x11, 0x22, 0x33, 0x44]),
            ([0x11, 0x00, 0x00, 0x00], [0x02, 0x11, 0x01, 0x01, 0x01]),
            (Range(0x01, 0xFE), Concat([0xFF], Range(0x01, 0xFE))),
            (Range(0x00, 0xFE), Concat([0x01, 0xFF], Range(0x01, 0xFE))),
            (Range(0x01, 0xFF), Concat([0xFF], Range(0x01, 0xFE), [0x02, 0xFF])),
            (Concat(Range(0x02, 0xFF), [0x00]), Concat([0xFF], Range(0x02, 0xFF), [0x01, 0x01])),
            (Concat(Range(0x03, 0xFF), [0x00, 0x01]), Concat([0xFE], Range(0x03, 0xFF), [0x02, 0x01])),
        ];

        foreach ((byte[] data, byte[] encoded) in examples)
        {
            CollectionAssert.AreEqual(encoded, Encode(data), $"encoding of {data.Length} bytes starting {ProtocolTestSupport.Hex(data, 0, 4)}");
            var decoded = new byte[data.Length + 1];
            int length = Cobs.Decode(encoded, 0, encoded.Length, decoded, 0);
            CollectionAssert.AreEqual(data, decoded.Take(length).ToArray(), $"decoding of {ProtocolTestSupport.Hex(encoded, 0, 4)}...");
        }
    }

    [TestMethod]
    public void RandomPayloadsRoundTripAndNeverContainTheDelimiter()
    {
        // 30,000 seeded payloads of 0..700 bytes (several stuffing blocks), with zero densities from none to
        // all, so that blocks of every length 1..255 and back-to-back zeros all occur.
        var random = new Random(20240611);
        double[] zeroProbabilities = [0.0, 1.0 / 256, 0.02, 0.1, 0.5, 0.9, 1.0];
        var data = new byte[700];
        var encoded = new byte[Cobs.MaxEncodedLength(data.Length) + 8];
        var decoded = new byte[data.Length + 8];
        for (int trial = 0; trial < 30_000; trial++)
        {
            int length = random.Next(0, data.Length + 1);
            double zeroProbability = zeroProbabilities[trial % zeroProbabilities.Length];
            for (int i = 0; i < length; i++)
            {
                data[i] = random.NextDouble() < zeroProbability ? (byte)0 : (byte)random.Next(1, 256);
            }

            // Offsets other than 0 on both sides, to catch offset arithmetic mistakes.
            int sourceOffset = 0;
            int encodedOffset = trial % 5;
            int encodedLength = Cobs.Encode(data, sourceOffset, length, encoded, encodedOffset);
            // Every data byte is kept and each zero becomes a code byte, plus the first code byte: at least
            // length + 1; at most one more byte per 254 (MaxEncodedLength).
            Assert.IsTrue(encodedLength >= length + 1 && encodedLength <= Cobs.MaxEncodedLength(length), $"trial {trial}: encoded length {encodedLength} for {length} bytes");
            for (int i = 0; i < encodedLength; i++)
            {
                Assert.AreNotEqual(0, encoded[encodedOffset + i], $"trial {trial}: zero at encoded position {i}");
            }

            int decodedOffset = trial % 3;
            int decodedLength = Cobs.Decode(encoded, encodedOffset, encodedLength, decoded, decodedOffset);
            Assert.AreEqual(length, decodedLength, $"trial {trial}: decoded length");
            for (int i = 0; i < length; i++)
            {
                Assert.AreEqual(data[i], decoded[decodedOffset + i], $"trial {trial}: byte {i}");
            }
        }
    }

    [TestMethod]
    public void RunsAroundTheBlockLimitOf254RoundTrip()
    {
        // The 254-byte block limit is where COBS implementations go wrong: check runs of non-zero bytes
        // just below, at and above one and two blocks, alone and with zeros before and after them.
        var random = new Random(7);
        foreach (int run in new[] { 1, 253, 254, 255, 256, 507, 508, 509, 510, 762 })
        {
            byte[] nonZero = Enumerable.Range(0, run).Select(_ => (byte)random.Next(1, 256)).ToArray();
            foreach (byte[] data in new[] { nonZero, Concat([0], nonZero), Concat(nonZero, [0]), Concat([0], nonZero, [0, 0]), new byte[run] })
            {
                byte[] encoded = Encode(data);
                Assert.IsFalse(encoded.Contains((byte)0), $"run {run}: encoded bytes contain the delimiter");
                var decoded = new byte[data.Length];
                int length = Cobs.Decode(encoded, 0, encoded.Length, decoded, 0);
                Assert.AreEqual(data.Length, length, $"run {run} of {data.Length} bytes: decoded length");
                CollectionAssert.AreEqual(data, decoded, $"run {run} of {data.Length} bytes");
            }

            // All non-zero: one code byte per started 254-byte block, no more (the overhead bound).
            Assert.AreEqual(run + (run + 253) / 254, Encode(nonZero).Length, $"overhead of a {run}-byte non-zero run");
        }
    }

    [TestMethod]
    public void MalformedInputAndTooSmallOutputsAreRejectedWithMinusOne()
    {
        var output = new byte[8];
        // A code byte announcing more bytes than remain.
        Assert.AreEqual(-1, Cobs.Decode([0x05, 0x11, 0x22], 0, 3, output, 0), "code 5 with only 2 bytes after it");
        // A zero inside a stuffed frame (the delimiter cannot appear in stuffed data).
        Assert.AreEqual(-1, Cobs.Decode([0x03, 0x11, 0x00], 0, 3, output, 0), "zero data byte");
        Assert.AreEqual(-1, Cobs.Decode([0x00, 0x11], 0, 2, output, 0), "zero code byte");
        // Output too small: 9 data bytes into 8, and 8 data bytes plus an implied zero into 8.
        byte[] nine = Encode(Range(1, 9));
        Assert.AreEqual(-1, Cobs.Decode(nine, 0, nine.Length, output, 0), "9 bytes into an 8-byte output");
        byte[] eightAndZero = Encode(Concat(Range(1, 8), [0, 1]));
        var guarded = new byte[12];
        Assert.AreEqual(-1, Cobs.Decode(eightAndZero, 0, eightAndZero.Length, guarded, 4), "8 bytes and a zero into 8 bytes");
        // Bad ranges and null arrays: -1, no exception.
        Assert.AreEqual(-1, Cobs.Decode(null!, 0, 1, output, 0));
        Assert.AreEqual(-1, Cobs.Decode([0x01], 0, 2, output, 0));
        Assert.AreEqual(-1, Cobs.Decode([0x01], -1, 1, output, 0));
        Assert.AreEqual(-1, Cobs.Decode([0x01], 0, 1, output, 9));
        Assert.AreEqual(-1, Cobs.Encode(new byte[10], 0, 10, new byte[10], 0), "10 bytes need 11 of output");
        Assert.AreEqual(-1, Cobs.Encode(null!, 0, 1, output, 0));
        Assert.AreEqual(-1, Cobs.Encode(new byte[2], 1, 2, new byte[10], 0));
        Assert.AreEqual(11, Cobs.Encode(new byte[10], 0, 10, new byte[11], 0), "exactly MaxEncodedLength bytes of room is enough");
    }
}
