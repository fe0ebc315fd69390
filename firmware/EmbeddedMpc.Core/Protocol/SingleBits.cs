namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Converts between a float and its IEEE-754 binary32 bit pattern using only float and integer
    /// arithmetic, because nanoFramework 1.x has neither <c>BitConverter.SingleToInt32Bits</c>, nor
    /// unsafe code, nor <c>FieldOffsetAttribute</c> (so no overlapping-field union), and
    /// <c>BitConverter.GetBytes(float)</c> allocates. Allocates nothing and never throws.
    /// </summary>
    /// <remarks>
    /// Every power-of-two scaling below is exact: each intermediate value is representable, so
    /// no rounding happens and the result is bit-exact for every finite value, subnormals included,
    /// and for the infinities. Two values are not preserved by <see cref="ToBits"/>, by necessity:
    /// <list type="bullet">
    /// <item>NaN is sent as the canonical quiet NaN <see cref="CanonicalNaNBits"/> (0x7FC00000); its
    /// sign and payload are lost.</item>
    /// <item>-0 is sent as +0 (0x00000000). Telling -0 from +0 needs a division by zero
    /// (1 / -0 = -inf), and the nanoFramework interpreter throws DivideByZeroException for float
    /// division by zero (nf-interpreter CLR_RT_HeapBlock::NumericDiv). -0 equals +0 in every
    /// comparison and sum, so nothing downstream can tell.</item>
    /// </list>
    /// <see cref="FromBits"/> is exact for every non-NaN pattern, -0 included; every NaN pattern
    /// reads as NaN. On hardware that flushes subnormals to zero a subnormal reads as 0.
    /// </remarks>
    public static class SingleBits
    {
        /// <summary>Bit pattern written for every NaN: the canonical quiet NaN, 0x7FC00000.</summary>
        public const uint CanonicalNaNBits = 0x7FC00000u;

        private const uint SignMask = 0x80000000u;
        private const uint ExponentMask = 0x7F800000u;
        private const uint MantissaMask = 0x007FFFFFu;
        private const uint ImplicitOne = 0x00800000u;
        private const int ExponentBias = 127;
        private const float TwoTo32 = 4294967296f;                    // 2^32, exact
        private const float TwoToMinus32 = 2.3283064365386963e-10f;   // 2^-32, exact
        private const float TwoTo23 = 8388608f;                       // 2^23, exact

        /// <summary>
        /// The IEEE-754 binary32 bits of <paramref name="value"/> (any value); -0 gives 0x00000000
        /// and any NaN gives <see cref="CanonicalNaNBits"/> (see the remarks of the class).
        /// </summary>
        public static uint ToBits(float value)
        {
            if (float.IsNaN(value))
            {
                return CanonicalNaNBits;
            }

            uint sign = 0u;
            if (value < 0f)
            {
                sign = SignMask;
                value = -value;
            }

            if (value == 0f)
            {
                return 0u;
            }

            if (float.IsPositiveInfinity(value))
            {
                return sign | ExponentMask;
            }

            // Normalize value into [1, 2) by exact power-of-two scalings: original = value * 2^exponent.
            int exponent = 0;
            if (value >= 2f)
            {
                while (value >= TwoTo32)
                {
                    value *= TwoToMinus32;
                    exponent += 32;
                }

                // value in [2, 2^32): each step halves the remaining range of exponents.
                if (value >= 65536f)
                {
                    value *= 1f / 65536f;
                    exponent += 16;
                }

                if (value >= 256f)
                {
                    value *= 1f / 256f;
                    exponent += 8;
                }

                if (value >= 16f)
                {
                    value *= 0.0625f;
                    exponent += 4;
                }

                if (value >= 4f)
                {
                    value *= 0.25f;
                    exponent += 2;
                }

                if (value >= 2f)
                {
                    value *= 0.5f;
                    exponent += 1;
                }
            }
            else if (value < 1f)
            {
                while (value < TwoToMinus32)
                {
                    value *= TwoTo32;
                    exponent -= 32;
                }

                // value in [2^-32, 1): bring it into [1/2, 1), then double it.
                if (value < 1f / 65536f)
                {
                    value *= 65536f;
                    exponent -= 16;
                }

                if (value < 1f / 256f)
                {
                    value *= 256f;
                    exponent -= 8;
                }

                if (value < 0.0625f)
                {
                    value *= 16f;
                    exponent -= 4;
                }

                if (value < 0.25f)
                {
                    value *= 4f;
                    exponent -= 2;
                }

                if (value < 0.5f)
                {
                    value *= 2f;
                    exponent -= 1;
                }
                value *= 2f;
                exponent -= 1;
            }

            int biasedExponent = exponent + ExponentBias;
            if (biasedExponent >= 1)
            {
                // Normal: value - 1 is exact for value in [1, 2) and has at most 23 fraction bits.
                uint mantissa = (uint)((value - 1f) * TwoTo23);
                return sign | ((uint)biasedExponent << 23) | mantissa;
            }

            // Subnormal: original = mantissa * 2^-149 with mantissa < 2^23, i.e. value * 2^(exponent + 149).
            uint subnormalMantissa = (uint)ScaleByPowerOfTwo(value, exponent + 149);
            return sign | subnormalMantissa;
        }

        /// <summary>
        /// The float whose IEEE-754 binary32 bits are <paramref name="bits"/> (any pattern); every NaN
        /// pattern gives <see cref="float.NaN"/>.
        /// </summary>
        public static float FromBits(uint bits)
        {
            int biasedExponent = (int)((bits & ExponentMask) >> 23);
            int mantissa = (int)(bits & MantissaMask);
            float magnitude;
            if (biasedExponent == 0xFF)
            {
                if (mantissa != 0)
                {
                    return float.NaN;
                }

                magnitude = float.PositiveInfinity;
            }
            else if (biasedExponent == 0)
            {
                // Zero or subnormal: mantissa * 2^-149.
                magnitude = ScaleByPowerOfTwo(mantissa, -149);
            }
            else
            {
                // Normal: (2^23 + mantissa) * 2^(biasedExponent - 127 - 23).
                magnitude = ScaleByPowerOfTwo((int)(ImplicitOne | (uint)mantissa), biasedExponent - ExponentBias - 23);
            }

            return (bits & SignMask) != 0u ? -magnitude : magnitude;
        }

        // value * 2^exponent by multiplications with powers of two. Exact whenever every intermediate
        // is representable, which holds for the callers above (their results are exact floats).
        private static float ScaleByPowerOfTwo(float value, int exponent)
        {
            while (exponent >= 32)
            {
                value *= TwoTo32;
                exponent -= 32;
            }

            while (exponent <= -32)
            {
                value *= TwoToMinus32;
                exponent += 32;
            }

            if (exponent >= 16)
            {
                value *= 65536f;
                exponent -= 16;
            }
            else if (exponent <= -16)
            {
                value *= 1f / 65536f;
                exponent += 16;
            }

            // |exponent| < 16 now: 1 << |exponent| is an exact float.
            if (exponent > 0)
            {
                value *= 1 << exponent;
            }
            else if (exponent < 0)
            {
                value /= 1 << -exponent;
            }

            return value;
        }
    }
}
