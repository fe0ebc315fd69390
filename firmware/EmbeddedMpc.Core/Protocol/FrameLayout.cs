namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Sizes and offsets of a frame (PROTOCOL.md, "Frame"). Before byte stuffing a frame is
    /// <code>
    ///   offset 0  version          1 byte   (ProtocolVersion)
    ///   offset 1  message type     1 byte   (MessageType)
    ///   offset 2  sequence number  2 bytes  uint16, little-endian
    ///   offset 4  payload length   1 byte   (0 .. MaxPayloadLength, fixed per type)
    ///   offset 5  payload          n bytes
    ///   offset 5+n CRC-32          4 bytes  little-endian, over bytes 0 .. 4+n
    /// </code>
    /// then COBS-encoded (<see cref="Cobs"/>) and followed by one 0x00 delimiter.
    /// </summary>
    public static class FrameLayout
    {
        /// <summary>The protocol version this code speaks; frames with another version byte are rejected.</summary>
        public const byte ProtocolVersion = 2;

        /// <summary>Offset of the version byte.</summary>
        public const int VersionOffset = 0;

        /// <summary>Offset of the message type byte.</summary>
        public const int TypeOffset = 1;

        /// <summary>Offset of the little-endian uint16 sequence number.</summary>
        public const int SequenceOffset = 2;

        /// <summary>Offset of the payload length byte.</summary>
        public const int LengthOffset = 4;

        /// <summary>Offset of the payload; also the header length.</summary>
        public const int PayloadOffset = 5;

        /// <summary>Bytes of the header (version, type, sequence, length).</summary>
        public const int HeaderLength = 5;

        /// <summary>Bytes of the CRC-32 trailer.</summary>
        public const int CrcLength = 4;

        /// <summary>Largest payload any frame may carry (the largest message, Telemetry, has 77 bytes).</summary>
        public const int MaxPayloadLength = 128;

        /// <summary>Smallest unstuffed frame: header and CRC with an empty payload.</summary>
        public const int MinRawFrameLength = HeaderLength + CrcLength;

        /// <summary>Largest unstuffed frame: header, <see cref="MaxPayloadLength"/> bytes of payload and CRC (137).</summary>
        public const int MaxRawFrameLength = HeaderLength + MaxPayloadLength + CrcLength;

        /// <summary>Largest stuffed frame without its delimiter: <see cref="Cobs.MaxEncodedLength"/>(137) = 138.</summary>
        public const int MaxStuffedFrameLength = MaxRawFrameLength + MaxRawFrameLength / 254 + 1;

        /// <summary>Largest frame on the wire, delimiter included (139): size output buffers with it.</summary>
        public const int MaxWireFrameLength = MaxStuffedFrameLength + 1;

        /// <summary>The frame delimiter.</summary>
        public const byte Delimiter = 0x00;

        /// <summary>
        /// The fixed payload length of <paramref name="messageType"/> in bytes, or -1 for a byte that is not
        /// a known <see cref="MessageType"/> (any byte value is accepted).
        /// </summary>
        public static int PayloadLengthOf(byte messageType)
        {
            switch (messageType)
            {
                case (byte)MessageType.Hello:
                    return HelloMessage.PayloadLength;
                case (byte)MessageType.HelloAck:
                    return HelloAckMessage.PayloadLength;
                case (byte)MessageType.Configuration:
                    return ConfigurationMessage.PayloadLength;
                case (byte)MessageType.Command:
                    return CommandMessage.PayloadLength;
                case (byte)MessageType.Ack:
                    return AckMessage.PayloadLength;
                case (byte)MessageType.Heartbeat:
                    return HeartbeatMessage.PayloadLength;
                case (byte)MessageType.SensorReadings:
                    return SensorReadingsMessage.PayloadLength;
                case (byte)MessageType.MotorCommand:
                    return MotorCommandMessage.PayloadLength;
                case (byte)MessageType.TickStatistics:
                    return TickStatisticsMessage.PayloadLength;
                case (byte)MessageType.Telemetry:
                    return TelemetryMessage.PayloadLength;
                case (byte)MessageType.Fault:
                    return FaultMessage.PayloadLength;
                case (byte)MessageType.LoopStatistics:
                    return LoopStatisticsMessage.PayloadLength;
                default:
                    return -1;
            }
        }
    }
}
