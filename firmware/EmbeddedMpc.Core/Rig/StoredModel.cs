using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.Core.Rig
{
    /// <summary>
    /// The bytes a rig keeps of the model it was sent (<see cref="IModelStore"/>), checked as a whole when read back:
    /// <code>
    ///   offset 0   4 bytes  magic "EMPM"
    ///   offset 4   1 byte   format version (1)
    ///   offset 5  68 bytes  the Configuration payload, as it travels (PROTOCOL.md, Configuration)
    ///   offset 73  4 bytes  CRC-32 of bytes 0 to 72, little-endian
    /// </code>
    /// A torn write, a flipped bit or another file in its place fails the length, magic, version or CRC check; the
    /// Configuration's own range checks come after (<see cref="RigModeDevice"/>). Start-up code: allocates nothing
    /// itself, but is not meant for the tick path.
    /// </summary>
    public static class StoredModel
    {
        /// <summary>Bytes of a stored model.</summary>
        public const int Length = 9 + ConfigurationMessage.PayloadLength;

        /// <summary>The format version written and accepted.</summary>
        public const byte FormatVersion = 1;

        private const int PayloadOffset = 5;
        private const int CrcOffset = PayloadOffset + ConfigurationMessage.PayloadLength;

        /// <summary>Writes <paramref name="configuration"/> into the first <see cref="Length"/> bytes of <paramref name="buffer"/>.</summary>
        /// <exception cref="System.ArgumentException"><paramref name="buffer"/> is null or shorter than <see cref="Length"/>.</exception>
        public static void Write(ref ConfigurationMessage configuration, byte[] buffer)
        {
            Validation.RequireNotNull(buffer, nameof(buffer));
            if (buffer.Length < Length)
            {
                throw new System.ArgumentException("buffer must hold StoredModel.Length bytes.", nameof(buffer));
            }

            buffer[0] = (byte)'E';
            buffer[1] = (byte)'M';
            buffer[2] = (byte)'P';
            buffer[3] = (byte)'M';
            buffer[4] = FormatVersion;
            configuration.Write(buffer, PayloadOffset);
            LittleEndian.WriteUInt32(buffer, CrcOffset, Crc32.Compute(buffer, 0, CrcOffset));
        }

        /// <summary>
        /// Reads a stored model from the first <paramref name="count"/> bytes of <paramref name="buffer"/> into
        /// <paramref name="configuration"/>. False (and <paramref name="configuration"/> unspecified) when the bytes are
        /// not exactly one intact stored model.
        /// </summary>
        public static bool TryRead(byte[] buffer, int count, ref ConfigurationMessage configuration)
        {
            if (buffer == null || count != Length || buffer.Length < Length)
            {
                return false;
            }

            if (buffer[0] != (byte)'E' || buffer[1] != (byte)'M' || buffer[2] != (byte)'P' || buffer[3] != (byte)'M' || buffer[4] != FormatVersion)
            {
                return false;
            }

            if (LittleEndian.ReadUInt32(buffer, CrcOffset) != Crc32.Compute(buffer, 0, CrcOffset))
            {
                return false;
            }

            configuration.Read(buffer, PayloadOffset);
            return true;
        }
    }
}
