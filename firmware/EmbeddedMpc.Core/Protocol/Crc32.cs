namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// CRC-32/ISO-HDLC, the CRC of Ethernet, zlib and PNG: polynomial 0x04C11DB7 (0xEDB88320
    /// reflected), initial value 0xFFFFFFFF, input and output reflected, final XOR 0xFFFFFFFF;
    /// check value CRC("123456789") = 0xCBF43926. Table-driven, one table lookup per byte; the
    /// 256-entry table (1 KiB) is computed once when the type is first used. Allocates nothing
    /// and never throws after that.
    /// </summary>
    /// <remarks>
    /// Why CRC-32 rather than CRC-16: a frame that passes the check moves a motor, and random
    /// corruption slips past a 16-bit check once in 65,536 corrupted frames but past a 32-bit check
    /// once in 4.3 billion; the two extra bytes per frame are cheap at the frame sizes of this
    /// protocol, and the per-byte cost is the same lookup. It is also the CRC every peer language
    /// ships (Python <c>zlib.crc32</c>, .NET <c>System.IO.Hashing.Crc32</c>), so independent peers
    /// and test oracles are easy to get right.
    /// </remarks>
    public static class Crc32
    {
        /// <summary>CRC of "123456789" (ASCII), the standard check value of this CRC.</summary>
        public const uint CheckValue = 0xCBF43926u;

        /// <summary>Register value before the first byte (see <see cref="Update"/>).</summary>
        public const uint InitialRegister = 0xFFFFFFFFu;

        private const uint ReflectedPolynomial = 0xEDB88320u;

        private static readonly uint[] s_table = BuildTable(); // [256]: CRC register update for each byte value

        /// <summary>
        /// The CRC of <paramref name="count"/> bytes of <paramref name="data"/> from
        /// <paramref name="offset"/>; 0 when <paramref name="count"/> is 0. The caller keeps the range
        /// inside the array.
        /// </summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(InitialRegister, data, offset, count));
        }

        /// <summary>
        /// Feeds bytes into a running register (start from <see cref="InitialRegister"/>, end with
        /// <see cref="Finish"/>), for data that arrives in pieces.
        /// </summary>
        public static uint Update(uint register, byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                register = s_table[(register ^ data[i]) & 0xFFu] ^ (register >> 8);
            }

            return register;
        }

        /// <summary>The CRC of the bytes fed into <paramref name="register"/>: the final XOR.</summary>
        public static uint Finish(uint register)
        {
            return register ^ 0xFFFFFFFFu;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (int value = 0; value < 256; value++)
            {
                uint register = (uint)value;
                for (int bit = 0; bit < 8; bit++)
                {
                    register = (register & 1u) != 0u ? (register >> 1) ^ ReflectedPolynomial : register >> 1;
                }

                table[value] = register;
            }

            return table;
        }
    }
}
