using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class FrameDecoderTests
{
    /// <summary>A frame built by hand from PROTOCOL.md (not by FrameEncoder), stuffed, with its delimiter.</summary>
    private static byte[] HandBuiltFrame(byte version, byte type, ushort sequence, int lengthByte, byte[] payload, bool corruptCrc = false)
    {
        var raw = new List<byte> { version, type, (byte)sequence, (byte)(sequence >> 8), (byte)lengthByte };
        raw.AddRange(payload);
        byte[] header = raw.ToArray();
        uint crc = ProtocolTestSupport.ReferenceCrc32(header, 0, header.Length) ^ (corruptCrc ? 1u : 0u);
        raw.AddRange(BitConverter.GetBytes(crc));
        byte[] unstuffed = raw.ToArray();
        var stuffed = new byte[Cobs.MaxEncodedLength(unstuffed.Length) + 1];
        int length = Cobs.Encode(unstuffed, 0, unstuffed.Length, stuffed, 0);
        stuffed[length] = 0;
        return stuffed.Take(length + 1).ToArray();
    }

    private static byte[] ValidHeartbeat(ushort sequence) =>
        HandBuiltFrame(2, (byte)MessageType.Heartbeat, sequence, 8, [1, 2, 3, 4, 5, 6, 7, 8]);

    private static int FeedAll(FrameDecoder decoder, byte[] bytes)
    {
        int accepted = 0;
        int offset = 0;
        while (offset < bytes.Length)
        {
            offset += decoder.Feed(bytes, offset, bytes.Length - offset);
            accepted += decoder.HasFrame ? 1 : 0;
        }

        return accepted;
    }

    private static string Counters(FrameDecoder d) =>
        $"accepted {d.FramesAccepted}, oversize {d.OversizeFrames}, cobs {d.CobsErrors}, crc {d.CrcErrors}, length {d.LengthErrors}, version {d.VersionErrors}, unknown type {d.UnknownTypeFrames}";

    [TestMethod]
    public void AFrameBuiltFromTheDocumentAloneIsAccepted()
    {
        var decoder = new FrameDecoder();
        Assert.AreEqual(1, FeedAll(decoder, ValidHeartbeat(513)), Counters(decoder));
        Assert.AreEqual(MessageType.Heartbeat, decoder.MessageType);
        Assert.AreEqual((ushort)513, decoder.Sequence);
        var heartbeat = new HeartbeatMessage();
        heartbeat.Read(decoder.Frame, FrameLayout.PayloadOffset);
        Assert.AreEqual(0x04030201u, heartbeat.TimeMicroseconds);
        Assert.AreEqual(0x08070605u, heartbeat.TickIndex);
    }

    [TestMethod]
    public void ALoopStatisticsFrameBuiltFromTheDocumentIsAccepted_AndOneOfAnotherLengthIsNot()
    {
        // Type 0x15 with its 28 bytes (PROTOCOL.md, LoopStatistics): firmware that predates the message
        // sent exactly this frame, which receivers used to drop as an unknown type. Now it is accepted and
        // every field reads back from its offset; a 0x15 frame with 27 or 29 bytes is still a length error.
        byte[] payload = new byte[28];
        for (int field = 0; field < 7; field++)
        {
            BitConverter.GetBytes(0x01020304u * (uint)(field + 1)).CopyTo(payload, 4 * field);
        }

        var decoder = new FrameDecoder();
        Assert.AreEqual(1, FeedAll(decoder, HandBuiltFrame(2, 0x15, 40, 28, payload)), Counters(decoder));
        Assert.AreEqual(MessageType.LoopStatistics, decoder.MessageType);
        Assert.AreEqual(0u, decoder.UnknownTypeFrames);
        var statistics = new LoopStatisticsMessage();
        statistics.Read(decoder.Frame, FrameLayout.PayloadOffset);
        CollectionAssert.AreEqual(
            Enumerable.Range(1, 7).Select(k => 0x01020304u * (uint)k).ToArray(),
            new[]
            {
                statistics.TickIndex, statistics.Overruns, statistics.SkippedPeriods, statistics.MaxJitterMicroseconds,
                statistics.MaxTickMicroseconds, statistics.FreeMemoryBytes, statistics.GarbageCollectionMicroseconds,
            });

        Assert.AreEqual(0, FeedAll(decoder, HandBuiltFrame(2, 0x15, 41, 27, payload[..27])), Counters(decoder));
        Assert.AreEqual(0, FeedAll(decoder, HandBuiltFrame(2, 0x15, 42, 29, [.. payload, 0])), Counters(decoder));
        Assert.AreEqual(2u, decoder.LengthErrors, Counters(decoder));
    }

    [TestMethod]
    public void EachDefectIsRejectedCountedUnderItsReasonAndTheNextFrameIsStillAccepted()
    {
        byte[] sensorPayload = new byte[21];
        var cases = new (string Name, byte[] Bytes, Func<FrameDecoder, uint> Counter)[]
        {
            ("CRC does not match", HandBuiltFrame(2, 0x06, 1, 8, new byte[8], corruptCrc: true), d => d.CrcErrors),
            ("payload byte changed after the CRC was computed", Corrupt(ValidHeartbeat(1), 6), d => d.CrcErrors),
            ("version 1 (the previous version)", HandBuiltFrame(1, 0x06, 1, 8, new byte[8]), d => d.VersionErrors),
            ("version 0", HandBuiltFrame(0, 0x06, 1, 8, new byte[8]), d => d.VersionErrors),
            ("length byte 9 for 8 payload bytes", HandBuiltFrame(2, 0x06, 1, 9, new byte[8]), d => d.LengthErrors),
            ("Heartbeat's length byte 8 for 7 payload bytes", HandBuiltFrame(2, 0x06, 1, 8, new byte[7]), d => d.LengthErrors),
            ("Heartbeat's length byte 8 for 9 payload bytes", HandBuiltFrame(2, 0x06, 1, 8, new byte[9]), d => d.LengthErrors),
            ("SensorReadings with 20 payload bytes", HandBuiltFrame(2, 0x10, 1, 20, sensorPayload[..20]), d => d.LengthErrors),
            ("SensorReadings with 22 payload bytes", HandBuiltFrame(2, 0x10, 1, 22, new byte[22]), d => d.LengthErrors),
            ("8 bytes, shorter than any frame", [0x09, 1, 6, 1, 1, 1, 1, 1, 1, 0], d => d.LengthErrors),
            ("unknown type 0x7F", HandBuiltFrame(2, 0x7F, 1, 4, new byte[4]), d => d.UnknownTypeFrames),
            ("reserved type 0x00", HandBuiltFrame(2, 0x00, 1, 0, []), d => d.UnknownTypeFrames),
            ("code byte runs past the delimiter", [0x20, 0x01, 0x06, 0x00], d => d.CobsErrors),
            ("500 bytes without a delimiter", Enumerable.Repeat((byte)0x55, 500).Append((byte)0).ToArray(), d => d.OversizeFrames),
            ("139 stuffed bytes, one over the limit", Enumerable.Repeat((byte)0x55, FrameLayout.MaxStuffedFrameLength + 1).Append((byte)0).ToArray(), d => d.OversizeFrames),
        };

        foreach ((string name, byte[] bytes, Func<FrameDecoder, uint> counter) in cases)
        {
            var decoder = new FrameDecoder();
            Assert.AreEqual(0, FeedAll(decoder, bytes), $"{name}: accepted ({Counters(decoder)})");
            Assert.AreEqual(1u, counter(decoder), $"{name}: {Counters(decoder)}");
            Assert.AreEqual(1u, decoder.FramesRejected, $"{name}: counted once, under one reason: {Counters(decoder)}");

            // Resynchronization: the next frame after the bad one's delimiter is accepted.
            Assert.AreEqual(1, FeedAll(decoder, ValidHeartbeat(2)), $"{name}: the following valid frame was lost ({Counters(decoder)})");
        }
    }

    [TestMethod]
    public void AFrameOfExactlyTheMaximumStuffedLengthIsNotOversize()
    {
        // 138 stuffed bytes is the largest legal size (a 128-byte payload); it must reach the CRC check,
        // not be cut off as oversize. Unknown type 0x7F lets the test use the maximum payload.
        byte[] frame = HandBuiltFrame(2, 0x7F, 1, FrameLayout.MaxPayloadLength, Enumerable.Repeat((byte)7, FrameLayout.MaxPayloadLength).ToArray());
        Assert.AreEqual(FrameLayout.MaxWireFrameLength, frame.Length);
        var decoder = new FrameDecoder();
        FeedAll(decoder, frame);
        Assert.AreEqual(1u, decoder.UnknownTypeFrames, Counters(decoder));
        Assert.AreEqual(0u, decoder.OversizeFrames);
    }

    [TestMethod]
    public void TheDecoderResynchronizesAfterGarbageOnTheNextDelimiter()
    {
        // A receiver that starts mid-frame, or sees line noise, loses at most the frame the noise is in.
        var random = new Random(8);
        var decoder = new FrameDecoder();
        int accepted = 0;
        for (int round = 0; round < 1000; round++)
        {
            byte[] garbage = new byte[random.Next(1, 400)];
            random.NextBytes(garbage);
            accepted += FeedAll(decoder, garbage);
            accepted += FeedAll(decoder, [0]);
            accepted += FeedAll(decoder, ValidHeartbeat((ushort)round));
        }

        // Exactly the 1000 valid frames: a piece of garbage would need a 1-in-2^32 CRC match to get in.
        Assert.AreEqual(1000, accepted, $"all 1000 valid frames after garbage + delimiter: {Counters(decoder)}");
        Assert.IsTrue(decoder.FramesRejected > 0, "the garbage was seen and dropped");
    }

    [TestMethod]
    public void SequenceGapsDuplicatesAndRestartsAreCountedSeparatelyAndWrapAroundIsNormal()
    {
        var decoder = new FrameDecoder();
        // 65533, 65534, 65535, 0, 1: wrap-around is the normal step of 1.
        foreach (ushort sequence in new ushort[] { 65533, 65534, 65535, 0, 1 })
        {
            FeedAll(decoder, ValidHeartbeat(sequence));
        }

        Assert.AreEqual((0u, 0u, 0u, 0u), (decoder.SequenceGaps, decoder.FramesMissed, decoder.DuplicateFrames, decoder.SequenceRestarts), "wrap-around");

        // 1 -> 5: one gap of 3 missed frames.
        FeedAll(decoder, ValidHeartbeat(5));
        Assert.AreEqual((1u, 3u), (decoder.SequenceGaps, decoder.FramesMissed), "gap");
        Assert.IsFalse(decoder.IsDuplicate);

        // 5 again: a duplicate, flagged on the frame and counted, not a gap.
        FeedAll(decoder, ValidHeartbeat(5));
        Assert.IsTrue(decoder.IsDuplicate);
        Assert.AreEqual((1u, 1u, 3u), (decoder.DuplicateFrames, decoder.SequenceGaps, decoder.FramesMissed), "duplicate");

        // 6, then 65530: a step back of 12, a restart; then 2: across the wrap, a gap of 7 missed (65531..65535, 0, 1).
        FeedAll(decoder, ValidHeartbeat(6));
        FeedAll(decoder, ValidHeartbeat(65530));
        Assert.AreEqual(1u, decoder.SequenceRestarts, "6 -> 65530 is a step back of 12: a restart");
        FeedAll(decoder, ValidHeartbeat(2));
        Assert.AreEqual((2u, 3u + 7u), (decoder.SequenceGaps, decoder.FramesMissed), "gap across the wrap");

        // The sender restarts at 0: counted as a restart, and counting goes on from 0.
        FeedAll(decoder, ValidHeartbeat(0));
        FeedAll(decoder, ValidHeartbeat(1));
        Assert.AreEqual((2u, 2u, 1u), (decoder.SequenceRestarts, decoder.SequenceGaps, decoder.DuplicateFrames), "restart");

        decoder.ResetStatistics();
        FeedAll(decoder, ValidHeartbeat(40000));
        Assert.AreEqual(0u, decoder.SequenceGaps + decoder.SequenceRestarts, "after ResetStatistics the first frame starts the count afresh");

        // The boundary between a gap and a restart: a step of 32767 is a gap, 32768 a restart.
        var boundary = new FrameDecoder();
        FeedAll(boundary, ValidHeartbeat(100));
        FeedAll(boundary, ValidHeartbeat(100 + 32767));
        Assert.AreEqual((1u, 32766u, 0u), (boundary.SequenceGaps, boundary.FramesMissed, boundary.SequenceRestarts), "step 32767");
        FeedAll(boundary, ValidHeartbeat(99)); // 32867 + 32768 = 65635 = 99 modulo 65536
        Assert.AreEqual((1u, 1u), (boundary.SequenceGaps, boundary.SequenceRestarts), "step 32768");
    }

    [TestMethod]
    public void AFrameLostToCorruptionShowsAsOneMissedSequenceNumber()
    {
        // What the device sees when one SensorReadings frame is hit by noise: a CRC error and a gap of one.
        var encoder = new FrameEncoder();
        var decoder = new FrameDecoder();
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        var message = new SensorReadingsMessage();
        for (uint tick = 0; tick < 10; tick++)
        {
            message.TickIndex = tick;
            message.Reading.CartCount = tick * 1000;
            int length = encoder.Encode(ref message, wire, 0);
            if (tick == 4)
            {
                wire[length / 2] ^= (byte)(wire[length / 2] == 0x10 ? 0x20 : 0x10); // never turns it into a delimiter
            }

            FeedAll(decoder, wire[..length]);
        }

        Assert.AreEqual(9u, decoder.FramesAccepted, Counters(decoder));
        Assert.AreEqual(1u, decoder.CrcErrors + decoder.CobsErrors + decoder.LengthErrors, Counters(decoder));
        Assert.AreEqual((1u, 1u), (decoder.SequenceGaps, decoder.FramesMissed));
    }

    [TestMethod]
    public void FeedStopsAfterEachFrameSoTheCallerCanReadIt()
    {
        var encoder = new FrameEncoder();
        var wire = new byte[3 * FrameLayout.MaxWireFrameLength];
        int length = 0;
        var tick = new TickStatisticsMessage();
        for (int i = 0; i < 3; i++)
        {
            tick.TickIndex = (uint)(100 + i);
            length += encoder.Encode(ref tick, wire, length);
        }

        var decoder = new FrameDecoder();
        var ticks = new List<uint>();
        int offset = 0;
        int calls = 0;
        while (offset < length)
        {
            offset += decoder.Feed(wire, offset, length - offset);
            calls++;
            if (decoder.HasFrame)
            {
                tick.Read(decoder.Frame, FrameLayout.PayloadOffset);
                ticks.Add(tick.TickIndex);
            }
        }

        CollectionAssert.AreEqual(new uint[] { 100, 101, 102 }, ticks);
        Assert.AreEqual(3, calls, "one Feed call per frame");
    }

    [TestMethod]
    public void InvalidFeedArgumentsAreIgnoredWithoutAnException()
    {
        var decoder = new FrameDecoder();
        Assert.AreEqual(5, decoder.Feed(null!, 0, 5));
        Assert.AreEqual(4, decoder.Feed(new byte[3], 0, 4));
        Assert.AreEqual(2, decoder.Feed(new byte[3], -1, 2));
        Assert.AreEqual(0, decoder.Feed(new byte[3], 0, -2));
        Assert.AreEqual(0, decoder.Feed(new byte[3], 0, 0));
        Assert.IsFalse(decoder.HasFrame);
        Assert.AreEqual(0u, decoder.FramesAccepted + decoder.FramesRejected);
        Assert.AreEqual(1, FeedAll(decoder, ValidHeartbeat(1)));
    }

    [TestMethod]
    public void TheEncoderNumbersFramesAndReturnsZeroWhenTheOutputIsTooSmall()
    {
        var encoder = new FrameEncoder();
        var fault = new FaultMessage();
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        Assert.AreEqual(0, encoder.NextSequence);
        Assert.IsTrue(encoder.Encode(ref fault, wire, 0) > 0);
        Assert.AreEqual(1, encoder.NextSequence);

        // 5 + 5 + 4 = 14 bytes, stuffed to 15, plus the delimiter: 16 bytes of room needed.
        Assert.AreEqual(0, encoder.Encode(ref fault, new byte[15], 0), "15 bytes of room");
        Assert.AreEqual(0, encoder.Encode(ref fault, wire, wire.Length - 15), "15 bytes of room at the end");
        Assert.AreEqual(0, encoder.Encode(ref fault, null!, 0));
        Assert.AreEqual(0, encoder.Encode(ref fault, wire, -1));
        Assert.AreEqual(1, encoder.NextSequence, "a frame that was not written does not use a sequence number");
        Assert.AreEqual(16, encoder.Encode(ref fault, new byte[16], 0), "16 bytes of room");

        encoder.Reset(65535);
        Assert.IsTrue(encoder.Encode(ref fault, wire, 0) > 0);
        Assert.AreEqual(0, encoder.NextSequence, "wraps from 65535 to 0");

        Assert.AreEqual(0, encoder.EncodeRaw(0x7F, new byte[200], 0, FrameLayout.MaxPayloadLength + 1, new byte[300], 0), "payload over the maximum");
        Assert.AreEqual(0, encoder.EncodeRaw(0x7F, new byte[4], 2, 4, wire, 0), "payload range outside its array");
    }

    private static byte[] Corrupt(byte[] frame, int index)
    {
        byte[] copy = (byte[])frame.Clone();
        copy[index] ^= 0x40;
        Assert.AreNotEqual(0, copy[index], "the corruption must not create a delimiter");
        return copy;
    }
}
