namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>What a <see cref="CommandMessage"/> asks of the device (byte values are part of the protocol).</summary>
    public enum DeviceCommand : byte
    {
        /// <summary>Reserved; rejected.</summary>
        None = 0,

        /// <summary>Leave Idle or Ready: home if needed, then swing up and balance.</summary>
        Start = 1,

        /// <summary>Motor off; back to Ready (or Idle if not homed).</summary>
        Stop = 2,

        /// <summary>Leave Fault (and clear the planner state) once the fault's cause is gone.</summary>
        Reset = 3,
    }

    /// <summary>
    /// Command (type 0x04, host to device, 1-byte payload): start, stop or reset. The device answers
    /// with an <see cref="AckMessage"/>. Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>Payload: offset 0 Command (uint8, <see cref="DeviceCommand"/>).</remarks>
    public struct CommandMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Command;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 1;

        /// <summary>The command. A byte outside the enum is carried as is; the device rejects it.</summary>
        public DeviceCommand Command;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteByte(buffer, offset, (byte)Command);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            Command = (DeviceCommand)LittleEndian.ReadByte(buffer, offset);
        }
    }
}
