namespace EmbeddedMpc.Core.Math
{
    /// <summary>
    /// Seeded pseudo-random generator (xoshiro128** by Blackman and Vigna, state seeded with
    /// SplitMix32) with uniform and Gaussian samplers. Uses only 32-bit integer and float
    /// arithmetic, so a seed gives the same stream on .NET and on nanoFramework.
    /// Allocates nothing after construction.
    /// </summary>
    public sealed class SeededRandom
    {
        private uint _s0;
        private uint _s1;
        private uint _s2;
        private uint _s3;
        private bool _hasSpareGaussian;
        private float _spareGaussian;

        /// <summary>Creates a generator whose stream is fixed by <paramref name="seed"/> (any value).</summary>
        public SeededRandom(uint seed)
        {
            Reseed(seed);
        }

        /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
        public void Reseed(uint seed)
        {
            uint mix = seed;
            _s0 = SplitMix32(ref mix);
            _s1 = SplitMix32(ref mix);
            _s2 = SplitMix32(ref mix);
            _s3 = SplitMix32(ref mix);
            _hasSpareGaussian = false;
            _spareGaussian = 0f;
        }

        /// <summary>Next 32 random bits.</summary>
        public uint NextUInt32()
        {
            uint result = RotateLeft(_s1 * 5u, 7) * 9u;
            uint t = _s1 << 9;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 11);
            return result;
        }

        /// <summary>Uniform float in [0, 1), on a grid of 2^-24.</summary>
        public float NextFloat()
        {
            return (NextUInt32() >> 8) * (1f / 16777216f);
        }

        /// <summary>Uniform float in [<paramref name="min"/>, <paramref name="max"/>).</summary>
        public float NextUniform(float min, float max)
        {
            return min + (max - min) * NextFloat();
        }

        /// <summary>
        /// Standard normal sample (mean 0, variance 1) by Marsaglia's polar method; the second
        /// sample of each accepted pair is kept for the next call.
        /// </summary>
        public float NextGaussian()
        {
            if (_hasSpareGaussian)
            {
                _hasSpareGaussian = false;
                return _spareGaussian;
            }

            float u;
            float v;
            float radiusSquared;
            do
            {
                u = 2f * NextFloat() - 1f;
                v = 2f * NextFloat() - 1f;
                radiusSquared = u * u + v * v;
            }
            while (radiusSquared >= 1f || radiusSquared == 0f);

            float factor = FloatMath.Sqrt(-2f * FloatMath.Log(radiusSquared) / radiusSquared);
            _spareGaussian = v * factor;
            _hasSpareGaussian = true;
            return u * factor;
        }

        private static uint RotateLeft(uint value, int bits)
        {
            return (value << bits) | (value >> (32 - bits));
        }

        private static uint SplitMix32(ref uint state)
        {
            state += 0x9E3779B9u;
            uint z = state;
            z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
            z = (z ^ (z >> 13)) * 0xC2B2AE35u;
            return z ^ (z >> 16);
        }
    }
}
