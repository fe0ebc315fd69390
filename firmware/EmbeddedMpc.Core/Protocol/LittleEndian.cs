namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Writes and reads integers and floats as little-endian bytes at an offset of a caller-owned
    /// array (the byte order of the serial protocol, PROTOCOL.md). Plain shifts and masks, so the
    /// result does not depend on the machine's byte order. Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Bounds are not checked beyond the array's own: the caller guarantees that
    /// offset .. offset + size - 1 lies inside the array (an IndexOutOfRangeException otherwise).
    /// Floats go through <see cref="SingleBits"/>: bit-exact except that -0 is written as +0 and every
    /// NaN as the canonical quiet NaN.
    /// </remarks>
    public static class LittleEndian
    {
        /// <summary>Writes one byte at <paramref name="offset"/>.</summary>
        public static void WriteByte(byte[] buffer, int offset, byte value)
        {
            buffer[offset] = value;
        }

        /// <summary>Reads one byte at <paramref name="offset"/>.</summary>
        public static byte ReadByte(byte[] buffer, int offset)
        {
            return buffer[offset];
        }

        /// <summary>Writes 2 bytes, least significant first.</summary>
        public static void WriteUInt16(byte[] buffer, int offset, ushort value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Reads 2 bytes, least significant first.</summary>
        public static ushort ReadUInt16(byte[] buffer, int offset)
        {
            return (ushort)(buffer[offset] | (buffer[offset + 1] << 8));
        }

        /// <summary>Writes 2 bytes of two's complement, least significant first.</summary>
        public static void WriteInt16(byte[] buffer, int offset, short value)
        {
            WriteUInt16(buffer, offset, (ushort)value);
        }

        /// <summary>Reads 2 bytes of two's complement, least significant first.</summary>
        public static short ReadInt16(byte[] buffer, int offset)
        {
            return (short)ReadUInt16(buffer, offset);
        }

        /// <summary>Writes 4 bytes, least significant first.</summary>
        public static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>Reads 4 bytes, least significant first.</summary>
        public static uint ReadUInt32(byte[] buffer, int offset)
        {
            return buffer[offset]
                | ((uint)buffer[offset + 1] << 8)
                | ((uint)buffer[offset + 2] << 16)
                | ((uint)buffer[offset + 3] << 24);
        }

        /// <summary>Writes 4 bytes of two's complement, least significant first.</summary>
        public static void WriteInt32(byte[] buffer, int offset, int value)
        {
            WriteUInt32(buffer, offset, (uint)value);
        }

        /// <summary>Reads 4 bytes of two's complement, least significant first.</summary>
        public static int ReadInt32(byte[] buffer, int offset)
        {
            return (int)ReadUInt32(buffer, offset);
        }

        /// <summary>Writes 8 bytes of two's complement, least significant first.</summary>
        public static void WriteInt64(byte[] buffer, int offset, long value)
        {
            WriteUInt32(buffer, offset, (uint)value);
            WriteUInt32(buffer, offset + 4, (uint)(value >> 32));
        }

        /// <summary>Reads 8 bytes of two's complement, least significant first.</summary>
        public static long ReadInt64(byte[] buffer, int offset)
        {
            long low = ReadUInt32(buffer, offset);
            long high = (int)ReadUInt32(buffer, offset + 4);
            return (high << 32) | low;
        }

        /// <summary>Writes the IEEE-754 binary32 bits of <paramref name="value"/> as 4 bytes, least significant first.</summary>
        public static void WriteSingle(byte[] buffer, int offset, float value)
        {
            WriteUInt32(buffer, offset, SingleBits.ToBits(value));
        }

        /// <summary>Reads 4 bytes, least significant first, as IEEE-754 binary32 bits.</summary>
        public static float ReadSingle(byte[] buffer, int offset)
        {
            return SingleBits.FromBits(ReadUInt32(buffer, offset));
        }
    }
}
