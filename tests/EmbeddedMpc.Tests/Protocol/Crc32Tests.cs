using System;
using System.Text;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class Crc32Tests
{
    [TestMethod]
    public void TheCheckValueOf123456789Is0xCBF43926()
    {
        // The catalogue check value of CRC-32/ISO-HDLC (the CRC of zlib, Ethernet and PNG); a peer that
        // gets this value uses the same CRC.
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(check, 0, check.Length));
        Assert.AreEqual(0xCBF43926u, Crc32.CheckValue);
        Assert.AreEqual(0xCBF43926u, ProtocolTestSupport.ReferenceCrc32(check, 0, check.Length), "the test's own bitwise CRC");
        Assert.AreEqual(0u, Crc32.Compute(check, 0, 0), "the CRC of no bytes is 0 (init and final XOR cancel)");
        Assert.AreEqual(0xE8B7BE43u, Crc32.Compute([(byte)'a'], 0, 1), "zlib.crc32(b'a')");
    }

    [TestMethod]
    public void TheTableDrivenCrcEqualsTheBitwiseDefinitionAtEveryOffsetAndLength()
    {
        var random = new Random(99);
        var data = new byte[300];
        for (int trial = 0; trial < 2000; trial++)
        {
            random.NextBytes(data);
            int offset = random.Next(0, 50);
            int count = random.Next(0, data.Length - offset + 1);
            Assert.AreEqual(ProtocolTestSupport.ReferenceCrc32(data, offset, count), Crc32.Compute(data, offset, count), $"trial {trial}: offset {offset}, count {count}");
        }
    }

    [TestMethod]
    public void FeedingInPiecesGivesTheSameCrcAsFeedingAtOnce()
    {
        var random = new Random(5);
        var data = new byte[137];
        random.NextBytes(data);
        uint whole = Crc32.Compute(data, 0, data.Length);
        for (int split = 0; split <= data.Length; split++)
        {
            uint register = Crc32.Update(Crc32.InitialRegister, data, 0, split);
            register = Crc32.Update(register, data, split, data.Length - split);
            Assert.AreEqual(whole, Crc32.Finish(register), $"split at {split}");
        }
    }

    [TestMethod]
    public void EverySingleAndDoubleBitErrorInAMaximumSizeFrameIsDetected()
    {
        // CRC-32 has Hamming distance 4 at these lengths: every 1-, 2- and 3-bit error is caught. Check
        // all single-bit and a seeded sample of 200,000 double-bit errors over a 137-byte frame (the
        // largest frame before stuffing).
        var random = new Random(17);
        var frame = new byte[FrameLayout.MaxRawFrameLength];
        random.NextBytes(frame);
        uint good = Crc32.Compute(frame, 0, frame.Length);
        int bits = frame.Length * 8;
        for (int bit = 0; bit < bits; bit++)
        {
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.AreNotEqual(good, Crc32.Compute(frame, 0, frame.Length), $"bit {bit} flipped went unnoticed");
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        for (int trial = 0; trial < 200_000; trial++)
        {
            int first = random.Next(bits);
            int second = random.Next(bits);
            if (first == second)
            {
                continue;
            }

            frame[first / 8] ^= (byte)(1 << (first % 8));
            frame[second / 8] ^= (byte)(1 << (second % 8));
            Assert.AreNotEqual(good, Crc32.Compute(frame, 0, frame.Length), $"bits {first} and {second} flipped went unnoticed");
            frame[first / 8] ^= (byte)(1 << (first % 8));
            frame[second / 8] ^= (byte)(1 << (second % 8));
        }
    }
}
