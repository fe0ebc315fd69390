using System;
using System.Buffers.Binary;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class LittleEndianTests
{
    [TestMethod]
    public void IntegersAreWrittenLeastSignificantByteFirstAndReadBack()
    {
        // Oracle: System.Buffers.Binary.BinaryPrimitives, which the Core cannot use (no Span on nanoFramework).
        var random = new Random(3);
        var expected = new byte[8];
        var buffer = new byte[16];
        long[] edges = [0, 1, -1, long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, uint.MaxValue, short.MinValue, ushort.MaxValue, 0x0102030405060708];
        for (int trial = 0; trial < 100_000; trial++)
        {
            long value = trial < edges.Length ? edges[trial] : random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            int offset = trial % 8;

            LittleEndian.WriteInt64(buffer, offset, value);
            BinaryPrimitives.WriteInt64LittleEndian(expected, value);
            CollectionAssert.AreEqual(expected, buffer[offset..(offset + 8)], $"int64 {value}");
            Assert.AreEqual(value, LittleEndian.ReadInt64(buffer, offset), $"int64 {value} read back");

            LittleEndian.WriteInt32(buffer, offset, (int)value);
            BinaryPrimitives.WriteInt32LittleEndian(expected, (int)value);
            CollectionAssert.AreEqual(expected[..4], buffer[offset..(offset + 4)], $"int32 {(int)value}");
            Assert.AreEqual((int)value, LittleEndian.ReadInt32(buffer, offset));

            LittleEndian.WriteUInt32(buffer, offset, (uint)value);
            Assert.AreEqual((uint)value, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset)), $"uint32 {(uint)value}");
            Assert.AreEqual((uint)value, LittleEndian.ReadUInt32(buffer, offset));

            LittleEndian.WriteInt16(buffer, offset, (short)value);
            Assert.AreEqual((short)value, BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(offset)), $"int16 {(short)value}");
            Assert.AreEqual((short)value, LittleEndian.ReadInt16(buffer, offset));

            LittleEndian.WriteUInt16(buffer, offset, (ushort)value);
            Assert.AreEqual((ushort)value, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset)), $"uint16 {(ushort)value}");
            Assert.AreEqual((ushort)value, LittleEndian.ReadUInt16(buffer, offset));
        }
    }

    [TestMethod]
    public void WritersTouchOnlyTheirOwnBytes()
    {
        var buffer = new byte[20];
        Array.Fill(buffer, (byte)0xAA);
        LittleEndian.WriteInt64(buffer, 6, 0);
        LittleEndian.WriteSingle(buffer, 1, 0f);
        LittleEndian.WriteUInt16(buffer, 15, 0);
        byte[] expected = [0xAA, 0, 0, 0, 0, 0xAA, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0, 0, 0xAA, 0xAA, 0xAA];
        CollectionAssert.AreEqual(expected, buffer);
    }

    [TestMethod]
    public void FloatsAreWrittenAsTheirIeee754BitsLeastSignificantByteFirst()
    {
        var buffer = new byte[4];
        LittleEndian.WriteSingle(buffer, 0, 1f);
        CollectionAssert.AreEqual(new byte[] { 0x00, 0x00, 0x80, 0x3F }, buffer, "1.0f is 0x3F800000");
        LittleEndian.WriteSingle(buffer, 0, -2.5f);
        CollectionAssert.AreEqual(new byte[] { 0x00, 0x00, 0x20, 0xC0 }, buffer, "-2.5f is 0xC0200000");
        Assert.AreEqual(-2.5f, LittleEndian.ReadSingle(buffer, 0));
    }

    [TestMethod]
    public void EveryFloatExceptNaNAndNegativeZeroEncodesToExactlyItsBits()
    {
        // 3,000,000 seeded random bit patterns (all exponents, subnormals included) plus a sweep of every
        // exponent with edge mantissas, compared with BitConverter on the host. NaN and -0 have their own
        // tests below: they are the two documented exceptions.
        var random = new Random(1234);
        int compared = 0;
        for (int trial = 0; trial < 3_000_000; trial++)
        {
            uint bits = (uint)random.NextInt64(0, 1L << 32);
            compared += CheckEncodes(bits) ? 1 : 0;
        }

        uint[] mantissas = [0u, 1u, 2u, 0x400000u, 0x7FFFFEu, 0x7FFFFFu, 0x2AAAAAu, 0x555555u];
        for (uint sign = 0; sign <= 1; sign++)
        {
            for (uint exponent = 0; exponent <= 0xFE; exponent++)
            {
                foreach (uint mantissa in mantissas)
                {
                    compared += CheckEncodes((sign << 31) | (exponent << 23) | mantissa) ? 1 : 0;
                }
            }
        }

        uint[] named =
        [
            0x00000001, // float.Epsilon, the smallest subnormal
            0x007FFFFF, // the largest subnormal
            0x00800000, // the smallest normal
            0x7F7FFFFF, // float.MaxValue
            0xFF7FFFFF, // float.MinValue
            0x7F800000, // +infinity
            0xFF800000, // -infinity
            0x3F800000, // 1
            0x3DCCCCCD, // 0.1f
            0x40490FDB, // pi
            0x00000000, // +0
        ];
        foreach (uint bits in named)
        {
            Assert.IsTrue(CheckEncodes(bits), $"0x{bits:X8} was skipped");
        }

        // 2^24 - 2 of the 2^32 patterns are NaN (0.39%): about 2,988,300 of the random ones (standard
        // deviation 108) plus the 4,080 sweep and 11 named values should be compared; 2,980,000 is far below that.
        Assert.IsTrue(compared >= 2_980_000, $"only {compared} patterns compared");
    }

    [TestMethod]
    public void EveryNonNaNBitPatternDecodesToExactlyThatFloatNegativeZeroIncluded()
    {
        var random = new Random(4321);
        var buffer = new byte[4];
        for (int trial = 0; trial < 3_000_000; trial++)
        {
            uint bits = trial switch
            {
                0 => 0x80000000u, // -0
                1 => 0x00000001u,
                2 => 0x807FFFFFu,
                3 => 0xFF800000u,
                _ => (uint)random.NextInt64(0, 1L << 32),
            };
            float expected = BitConverter.UInt32BitsToSingle(bits);
            float decoded = SingleBits.FromBits(bits);
            if (float.IsNaN(expected))
            {
                Assert.IsTrue(float.IsNaN(decoded), $"0x{bits:X8} is a NaN pattern");
                continue;
            }

            Assert.AreEqual(bits, BitConverter.SingleToUInt32Bits(decoded), $"0x{bits:X8} decoded as {decoded:R}");
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, bits);
            Assert.AreEqual(bits, BitConverter.SingleToUInt32Bits(LittleEndian.ReadSingle(buffer, 0)), $"0x{bits:X8} through ReadSingle");
        }
    }

    [TestMethod]
    public void NaNOfAnySignAndPayloadIsSentAsTheCanonicalQuietNaN()
    {
        // Arithmetic cannot see a NaN's bits; the protocol sends every NaN as 0x7FC00000 (PROTOCOL.md).
        uint[] nans = [0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FBFFFFF, 0xFFFFFFFF, 0x7FC12345];
        foreach (uint bits in nans)
        {
            Assert.AreEqual(0x7FC00000u, SingleBits.ToBits(BitConverter.UInt32BitsToSingle(bits)), $"NaN 0x{bits:X8}");
        }

        Assert.AreEqual(SingleBits.CanonicalNaNBits, SingleBits.ToBits(float.NaN));
        Assert.IsTrue(float.IsNaN(SingleBits.FromBits(SingleBits.CanonicalNaNBits)));
    }

    [TestMethod]
    public void NegativeZeroIsSentAsPositiveZero()
    {
        // Telling -0 from +0 takes a division by zero, which the nanoFramework interpreter turns into a
        // DivideByZeroException; the protocol sends -0 as +0 (PROTOCOL.md). -0 == +0 in every comparison.
        Assert.AreEqual(0u, SingleBits.ToBits(-0f));
        Assert.AreEqual(0u, SingleBits.ToBits(0f));
        Assert.AreEqual(0x80000000u, BitConverter.SingleToUInt32Bits(SingleBits.FromBits(0x80000000u)), "reading -0 is exact");
    }

    // True when compared (false for NaN and -0 patterns, which have their own tests).
    private static bool CheckEncodes(uint bits)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value) || bits == 0x80000000u)
        {
            return false;
        }

        uint encoded = SingleBits.ToBits(value);
        if (encoded != bits)
        {
            Assert.Fail($"{value:R} (0x{bits:X8}) encoded as 0x{encoded:X8}");
        }

        return true;
    }
}
