namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// HelloAck (type 0x02, device to host, 18-byte payload): the device's answer to
    /// <see cref="HelloMessage"/>: its protocol and firmware versions, its control period and the
    /// connection options it accepted, and the rig model it runs. Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 ProtocolVersion (uint8), 1 FirmwareMajor (uint8), 2 FirmwareMinor (uint8),
    /// 3 FirmwarePatch (uint16), 5 ControlPeriodMicroseconds (uint32), 9 Flags (uint32), 13 ModelId (uint32),
    /// 17 ModelSource (uint8, <see cref="Control.ModelSource"/>).
    /// </remarks>
    public struct HelloAckMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.HelloAck;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 18;

        /// <summary>Protocol version the device speaks (<see cref="FrameLayout.ProtocolVersion"/>).</summary>
        public byte ProtocolVersion;

        /// <summary>Firmware major version.</summary>
        public byte FirmwareMajor;

        /// <summary>Firmware minor version.</summary>
        public byte FirmwareMinor;

        /// <summary>Firmware patch version.</summary>
        public ushort FirmwarePatch;

        /// <summary>Control period the device runs with, microseconds; [1000, 1000000].</summary>
        public uint ControlPeriodMicroseconds;

        /// <summary>The <see cref="HelloMessage"/> Flag* bits the device accepted (a subset of those requested).</summary>
        public uint Flags;

        /// <summary>Identifier of the rig model the device runs (<see cref="ConfigurationMessage.RigModelId"/>).</summary>
        public uint ModelId;

        /// <summary>Where that model came from.</summary>
        public Control.ModelSource ModelSource;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteByte(buffer, offset, ProtocolVersion);
            LittleEndian.WriteByte(buffer, offset + 1, FirmwareMajor);
            LittleEndian.WriteByte(buffer, offset + 2, FirmwareMinor);
            LittleEndian.WriteUInt16(buffer, offset + 3, FirmwarePatch);
            LittleEndian.WriteUInt32(buffer, offset + 5, ControlPeriodMicroseconds);
            LittleEndian.WriteUInt32(buffer, offset + 9, Flags);
            LittleEndian.WriteUInt32(buffer, offset + 13, ModelId);
            LittleEndian.WriteByte(buffer, offset + 17, (byte)ModelSource);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            ProtocolVersion = LittleEndian.ReadByte(buffer, offset);
            FirmwareMajor = LittleEndian.ReadByte(buffer, offset + 1);
            FirmwareMinor = LittleEndian.ReadByte(buffer, offset + 2);
            FirmwarePatch = LittleEndian.ReadUInt16(buffer, offset + 3);
            ControlPeriodMicroseconds = LittleEndian.ReadUInt32(buffer, offset + 5);
            Flags = LittleEndian.ReadUInt32(buffer, offset + 9);
            ModelId = LittleEndian.ReadUInt32(buffer, offset + 13);
            ModelSource = (Control.ModelSource)LittleEndian.ReadByte(buffer, offset + 17);
        }
    }
}
