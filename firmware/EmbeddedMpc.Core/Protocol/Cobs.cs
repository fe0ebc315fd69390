namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Consistent Overhead Byte Stuffing (Cheshire and Baker, IEEE/ACM Trans. Networking 1999): turns
    /// any bytes into bytes without 0x00, so that 0x00 can delimit frames on the serial link. Each
    /// block is a code byte n (1..255) followed by n - 1 non-zero data bytes; a block with n &lt; 255
    /// stands for its data followed by one 0x00, except the last block, whose implied 0x00 is
    /// dropped; a block with n = 255 carries 254 data bytes and no 0x00. Overhead: at most one byte
    /// per 254 bytes, plus one. Works on caller-owned arrays; allocates nothing and never throws
    /// (bad arguments and malformed input return -1).
    /// </summary>
    public static class Cobs
    {
        /// <summary>Largest code byte: a block of 254 data bytes with no implied zero.</summary>
        public const int MaxBlockCode = 0xFF;

        /// <summary>
        /// Upper bound of the encoded length of <paramref name="count"/> bytes:
        /// count + count / 254 + 1 (the delimiter is not included). <paramref name="count"/> &gt;= 0.
        /// </summary>
        public static int MaxEncodedLength(int count)
        {
            return count + count / 254 + 1;
        }

        /// <summary>
        /// Encodes <paramref name="count"/> bytes of <paramref name="source"/> from
        /// <paramref name="sourceOffset"/> into <paramref name="destination"/> from
        /// <paramref name="destinationOffset"/> (no delimiter is written). The ranges must not overlap.
        /// </summary>
        /// <returns>
        /// The number of bytes written (at least 1), or -1 when an array is null, a range lies outside
        /// its array, or the destination has fewer than <see cref="MaxEncodedLength"/>(count) bytes
        /// from <paramref name="destinationOffset"/>.
        /// </returns>
        public static int Encode(byte[] source, int sourceOffset, int count, byte[] destination, int destinationOffset)
        {
            if (source == null || destination == null || sourceOffset < 0 || count < 0 || sourceOffset > source.Length - count
                || destinationOffset < 0 || destinationOffset > destination.Length - MaxEncodedLength(count))
            {
                return -1;
            }

            int codeIndex = destinationOffset; // where the current block's code byte goes; -1 when no block is open
            int write = destinationOffset + 1;
            int code = 1;
            int end = sourceOffset + count;
            for (int read = sourceOffset; read < end; read++)
            {
                byte value = source[read];
                if (value == 0)
                {
                    destination[codeIndex] = (byte)code;
                    codeIndex = write++;
                    code = 1;
                    continue;
                }

                destination[write++] = value;
                code++;
                if (code == MaxBlockCode)
                {
                    // 254 data bytes: close the block (no implied zero); open a new one only if data follows.
                    destination[codeIndex] = (byte)code;
                    code = 1;
                    codeIndex = read + 1 < end ? write++ : -1;
                }
            }

            if (codeIndex >= 0)
            {
                destination[codeIndex] = (byte)code;
            }

            return write - destinationOffset;
        }

        /// <summary>
        /// Decodes <paramref name="count"/> encoded bytes of <paramref name="source"/> from
        /// <paramref name="sourceOffset"/> (without the delimiter) into <paramref name="destination"/>
        /// from <paramref name="destinationOffset"/>; never writes past the end of
        /// <paramref name="destination"/>. The ranges must not overlap. Empty input decodes to nothing.
        /// </summary>
        /// <returns>
        /// The number of bytes decoded, or -1 when the input is malformed (a 0x00 byte, or a code byte
        /// announcing more bytes than remain), the output would not fit, an array is null or a range
        /// lies outside its array.
        /// </returns>
        public static int Decode(byte[] source, int sourceOffset, int count, byte[] destination, int destinationOffset)
        {
            if (source == null || destination == null || sourceOffset < 0 || count < 0 || sourceOffset > source.Length - count
                || destinationOffset < 0 || destinationOffset > destination.Length)
            {
                return -1;
            }

            int read = sourceOffset;
            int end = sourceOffset + count;
            int write = destinationOffset;
            int limit = destination.Length;
            while (read < end)
            {
                int code = source[read++];
                if (code == 0)
                {
                    return -1;
                }

                int blockEnd = read + code - 1;
                if (blockEnd > end || write + (code - 1) > limit)
                {
                    return -1;
                }

                while (read < blockEnd)
                {
                    byte value = source[read++];
                    if (value == 0)
                    {
                        return -1;
                    }

                    destination[write++] = value;
                }

                if (code != MaxBlockCode && read < end)
                {
                    if (write >= limit)
                    {
                        return -1;
                    }

                    destination[write++] = 0;
                }
            }

            return write - destinationOffset;
        }
    }
}
