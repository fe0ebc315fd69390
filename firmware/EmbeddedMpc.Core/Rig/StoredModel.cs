using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.Core.Rig
{
    /// <summary>
    /// The bytes a rig keeps of the model it was sent (<see cref="IModelStore"/>), checked as a whole when read back:
    /// <code>
    ///   offset 0   4 bytes  magic "EMPM"
    ///   offset 4   1 byte   format version (2)
    ///   offset 5  76 bytes  the Configuration payload, as it travels (PROTOCOL.md, Configuration)
    ///   offset 81  4 bytes  CRC-32 of bytes 0 to 80, little-endian
    /// </code>
    /// Format version 1 (77 bytes) held the 68-byte payload without the two dry frictions, with its CRC at offset 73; it
    /// is still read, as a model without dry friction, which is how the rig that stored it planned, so a model sent
    /// before the frictions travelled keeps running (under its new ModelId, which covers the frictions).
    /// A torn write, a flipped bit or another file in its place fails the length, magic, version or CRC check; the
    /// Configuration's own range checks come after (<see cref="RigModeDevice"/>). Start-up code: allocates nothing
    /// itself, but is not meant for the tick path.
    /// </summary>
    public static class StoredModel
    {
        /// <summary>Bytes of a stored model.</summary>
        public const int Length = 9 + ConfigurationMessage.PayloadLength;

        /// <summary>The format version written.</summary>
        public const byte FormatVersion = 2;

        /// <summary>Bytes of a stored model of format version 1 (read, never written).</summary>
        public const int Version1Length = 9 + ConfigurationMessage.PayloadLengthWithoutFrictions;

        private const int PayloadOffset = 5;

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
            int crcOffset = Length - 4;
            LittleEndian.WriteUInt32(buffer, crcOffset, Crc32.Compute(buffer, 0, crcOffset));
        }

        /// <summary>
        /// Reads a stored model (format version 2, or 1 with both frictions 0) from the first <paramref name="count"/>
        /// bytes of <paramref name="buffer"/> into <paramref name="configuration"/>. False (and
        /// <paramref name="configuration"/> unspecified) when the bytes are not exactly one intact stored model.
        /// </summary>
        public static bool TryRead(byte[] buffer, int count, ref ConfigurationMessage configuration)
        {
            if (buffer == null || count < 5 || buffer.Length < count)
            {
                return false;
            }

            byte version = buffer[4];
            int expectedLength = version == FormatVersion ? Length : version == 1 ? Version1Length : -1;
            if (count != expectedLength || buffer[0] != (byte)'E' || buffer[1] != (byte)'M' || buffer[2] != (byte)'P' || buffer[3] != (byte)'M')
            {
                return false;
            }

            int crcOffset = count - 4;
            if (LittleEndian.ReadUInt32(buffer, crcOffset) != Crc32.Compute(buffer, 0, crcOffset))
            {
                return false;
            }

            if (version == FormatVersion)
            {
                configuration.Read(buffer, PayloadOffset);
            }
            else
            {
                configuration.ReadWithoutFrictions(buffer, PayloadOffset);
            }

            return true;
        }
    }
}
