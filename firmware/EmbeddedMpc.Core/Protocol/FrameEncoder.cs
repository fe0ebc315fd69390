namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Builds frames (PROTOCOL.md, "Frame"): header, payload, CRC-32, COBS, delimiter, written into a
    /// caller-owned output array. Numbers its frames 0, 1, 2, ... (uint16, wrapping to 0 after 65535),
    /// one sequence for all message types; a frame that is not written does not use a number.
    /// One encoder per sending side. Allocates nothing after construction and never throws: an output
    /// range that is too small (or invalid) makes an Encode method return 0 and write nothing.
    /// Not thread-safe.
    /// </summary>
    public sealed class FrameEncoder
    {
        private readonly byte[] _raw; // [MaxRawFrameLength]: the unstuffed frame being built
        private ushort _nextSequence;

        /// <summary>Creates an encoder whose first frame has sequence number 0.</summary>
        public FrameEncoder()
        {
            _raw = new byte[FrameLayout.MaxRawFrameLength];
        }

        /// <summary>Sequence number the next frame will carry.</summary>
        public ushort NextSequence => _nextSequence;

        /// <summary>Restarts the numbering: the next frame carries sequence number <paramref name="nextSequence"/>.</summary>
        public void Reset(ushort nextSequence)
        {
            _nextSequence = nextSequence;
        }

        /// <summary>Encodes a Hello frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref HelloMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(HelloMessage.Type, HelloMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a HelloAck frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref HelloAckMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(HelloAckMessage.Type, HelloAckMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a Configuration frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref ConfigurationMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(ConfigurationMessage.Type, ConfigurationMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a Command frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref CommandMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(CommandMessage.Type, CommandMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes an Ack frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref AckMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(AckMessage.Type, AckMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a Heartbeat frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref HeartbeatMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(HeartbeatMessage.Type, HeartbeatMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a SensorReadings frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref SensorReadingsMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(SensorReadingsMessage.Type, SensorReadingsMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a MotorCommand frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref MotorCommandMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(MotorCommandMessage.Type, MotorCommandMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a TickStatistics frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref TickStatisticsMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(TickStatisticsMessage.Type, TickStatisticsMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a Telemetry frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref TelemetryMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(TelemetryMessage.Type, TelemetryMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a Fault frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref FaultMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(FaultMessage.Type, FaultMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>Encodes a LoopStatistics frame into <paramref name="output"/> at <paramref name="outputOffset"/>.</summary>
        /// <returns>Bytes written, delimiter included; 0 when they would not fit (nothing written).</returns>
        public int Encode(ref LoopStatisticsMessage message, byte[] output, int outputOffset)
        {
            message.Write(_raw, FrameLayout.PayloadOffset);
            return Finish(LoopStatisticsMessage.Type, LoopStatisticsMessage.PayloadLength, output, outputOffset);
        }

        /// <summary>
        /// Encodes a frame of any type byte around <paramref name="payloadLength"/> bytes of
        /// <paramref name="payload"/>, without checking that the length is the type's fixed length
        /// (receivers reject a frame whose length does not match its type). For tools and tests; the
        /// typed Encode methods are the way to send messages.
        /// </summary>
        /// <returns>
        /// Bytes written, delimiter included; 0 (nothing written) when the payload range is invalid,
        /// <paramref name="payloadLength"/> is outside [0, <see cref="FrameLayout.MaxPayloadLength"/>],
        /// or the frame would not fit in the output.
        /// </returns>
        public int EncodeRaw(byte messageType, byte[] payload, int payloadOffset, int payloadLength, byte[] output, int outputOffset)
        {
            if (payloadLength < 0 || payloadLength > FrameLayout.MaxPayloadLength)
            {
                return 0;
            }

            if (payloadLength > 0)
            {
                if (payload == null || payloadOffset < 0 || payloadOffset > payload.Length - payloadLength)
                {
                    return 0;
                }

                for (int i = 0; i < payloadLength; i++)
                {
                    _raw[FrameLayout.PayloadOffset + i] = payload[payloadOffset + i];
                }
            }

            return Finish((MessageType)messageType, payloadLength, output, outputOffset);
        }

        // Fills in the header and CRC around the payload already in _raw, stuffs the frame into the
        // output and appends the delimiter.
        private int Finish(MessageType type, int payloadLength, byte[] output, int outputOffset)
        {
            int rawLength = FrameLayout.HeaderLength + payloadLength + FrameLayout.CrcLength;
            if (output == null || outputOffset < 0 || outputOffset > output.Length - (Cobs.MaxEncodedLength(rawLength) + 1))
            {
                return 0;
            }

            _raw[FrameLayout.VersionOffset] = FrameLayout.ProtocolVersion;
            _raw[FrameLayout.TypeOffset] = (byte)type;
            LittleEndian.WriteUInt16(_raw, FrameLayout.SequenceOffset, _nextSequence);
            _raw[FrameLayout.LengthOffset] = (byte)payloadLength;
            int crcOffset = FrameLayout.HeaderLength + payloadLength;
            LittleEndian.WriteUInt32(_raw, crcOffset, Crc32.Compute(_raw, 0, crcOffset));

            int stuffedLength = Cobs.Encode(_raw, 0, rawLength, output, outputOffset);
            output[outputOffset + stuffedLength] = FrameLayout.Delimiter;
            _nextSequence = (ushort)(_nextSequence + 1);
            return stuffedLength + 1;
        }
    }
}
