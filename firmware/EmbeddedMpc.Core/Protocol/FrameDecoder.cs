namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Finds frames in the received byte stream (PROTOCOL.md, "Receiving"): collects bytes up to each
    /// 0x00 delimiter in a fixed buffer, un-stuffs them (COBS) and accepts the frame only if its CRC-32,
    /// version, length byte, type and the type's fixed payload length all check out. Anything else is
    /// dropped and counted by reason, and decoding starts afresh after the next 0x00, so a corrupted or
    /// truncated frame costs at most that frame and the one after it. Tracks the sender's sequence
    /// numbers and counts gaps, duplicates and restarts. One decoder per receiving side.
    /// </summary>
    /// <remarks>
    /// Allocates nothing after construction and never throws, whatever the input. Not thread-safe.
    /// Checks, in order (the first failure names the reason): stuffed frame longer than
    /// <see cref="FrameLayout.MaxStuffedFrameLength"/> (oversize); malformed COBS; shorter than
    /// <see cref="FrameLayout.MinRawFrameLength"/> (length); CRC mismatch; version byte not
    /// <see cref="FrameLayout.ProtocolVersion"/>; length byte not equal to the bytes received (length);
    /// unknown type; payload length not the type's fixed length (length). Empty frames (two delimiters in
    /// a row) are ignored without counting.
    /// </remarks>
    public sealed class FrameDecoder
    {
        private readonly byte[] _stuffed; // [MaxStuffedFrameLength]: bytes received since the last delimiter
        private readonly byte[] _frame;   // [MaxRawFrameLength]: the un-stuffed frame; the accepted frame lives here
        private int _stuffedLength;
        private bool _discardingOversize;
        private bool _hasFrame;
        private byte _messageType;
        private ushort _sequence;
        private int _payloadLength;
        private bool _isDuplicate;
        private bool _hasSequence;
        private ushort _lastSequence;

        private uint _framesAccepted;
        private uint _oversizeFrames;
        private uint _cobsErrors;
        private uint _crcErrors;
        private uint _lengthErrors;
        private uint _versionErrors;
        private uint _unknownTypeFrames;
        private uint _sequenceGaps;
        private uint _framesMissed;
        private uint _duplicateFrames;
        private uint _sequenceRestarts;

        /// <summary>Creates a decoder with its fixed buffers; it expects the start of a frame (or a delimiter).</summary>
        public FrameDecoder()
        {
            _stuffed = new byte[FrameLayout.MaxStuffedFrameLength];
            _frame = new byte[FrameLayout.MaxRawFrameLength];
        }

        /// <summary>True when the last byte pushed completed an accepted frame; cleared by the next byte.</summary>
        public bool HasFrame => _hasFrame;

        /// <summary>Type of the accepted frame (valid while <see cref="HasFrame"/>).</summary>
        public MessageType MessageType => (MessageType)_messageType;

        /// <summary>Sequence number of the accepted frame (valid while <see cref="HasFrame"/>).</summary>
        public ushort Sequence => _sequence;

        /// <summary>
        /// True when the accepted frame repeats the sequence number of the frame before it (valid while
        /// <see cref="HasFrame"/>). Such frames are still delivered; PROTOCOL.md has receivers ignore them.
        /// </summary>
        public bool IsDuplicate => _isDuplicate;

        /// <summary>Payload length of the accepted frame, the fixed length of its type (valid while <see cref="HasFrame"/>).</summary>
        public int PayloadLength => _payloadLength;

        /// <summary>
        /// The un-stuffed frame; the payload starts at <see cref="FrameLayout.PayloadOffset"/>. Read it
        /// while <see cref="HasFrame"/> is true, e.g. <c>message.Read(decoder.Frame, FrameLayout.PayloadOffset)</c>;
        /// the next byte pushed may overwrite it. Do not write to it.
        /// </summary>
        public byte[] Frame => _frame;

        /// <summary>Frames accepted.</summary>
        public uint FramesAccepted => _framesAccepted;

        /// <summary>Frames dropped because more than <see cref="FrameLayout.MaxStuffedFrameLength"/> bytes came before the delimiter.</summary>
        public uint OversizeFrames => _oversizeFrames;

        /// <summary>Frames dropped because their byte stuffing was malformed.</summary>
        public uint CobsErrors => _cobsErrors;

        /// <summary>Frames dropped because their CRC did not match.</summary>
        public uint CrcErrors => _crcErrors;

        /// <summary>Frames dropped because they were too short, or their length byte or payload length was wrong for their type.</summary>
        public uint LengthErrors => _lengthErrors;

        /// <summary>Frames dropped because their version byte was not <see cref="FrameLayout.ProtocolVersion"/>.</summary>
        public uint VersionErrors => _versionErrors;

        /// <summary>Frames dropped because their type byte is not a known <see cref="Protocol.MessageType"/>.</summary>
        public uint UnknownTypeFrames => _unknownTypeFrames;

        /// <summary>All frames dropped, whatever the reason.</summary>
        public uint FramesRejected => _oversizeFrames + _cobsErrors + _crcErrors + _lengthErrors + _versionErrors + _unknownTypeFrames;

        /// <summary>Times an accepted frame's sequence number skipped ahead (by 2 to 32767) from the previous one.</summary>
        public uint SequenceGaps => _sequenceGaps;

        /// <summary>Sequence numbers skipped over by the gaps: frames the sender numbered that never arrived intact.</summary>
        public uint FramesMissed => _framesMissed;

        /// <summary>Accepted frames whose sequence number equalled the previous frame's.</summary>
        public uint DuplicateFrames => _duplicateFrames;

        /// <summary>
        /// Times the sequence number went backwards (by 1 to 32768): the sender restarted or a stale frame
        /// arrived. Counting restarts from the new number.
        /// </summary>
        public uint SequenceRestarts => _sequenceRestarts;

        /// <summary>Zeroes every counter and forgets the last sequence number (the next frame starts the count afresh).</summary>
        public void ResetStatistics()
        {
            _framesAccepted = 0;
            _oversizeFrames = 0;
            _cobsErrors = 0;
            _crcErrors = 0;
            _lengthErrors = 0;
            _versionErrors = 0;
            _unknownTypeFrames = 0;
            _sequenceGaps = 0;
            _framesMissed = 0;
            _duplicateFrames = 0;
            _sequenceRestarts = 0;
            _hasSequence = false;
        }

        /// <summary>Takes one received byte (any value).</summary>
        /// <returns>True when this byte completed an accepted frame (then <see cref="HasFrame"/> is true).</returns>
        public bool Push(byte value)
        {
            _hasFrame = false;
            if (value != FrameLayout.Delimiter)
            {
                if (_discardingOversize)
                {
                    return false;
                }

                if (_stuffedLength == _stuffed.Length)
                {
                    _discardingOversize = true;
                    return false;
                }

                _stuffed[_stuffedLength++] = value;
                return false;
            }

            int stuffedLength = _stuffedLength;
            _stuffedLength = 0;
            if (_discardingOversize)
            {
                _discardingOversize = false;
                _oversizeFrames++;
                return false;
            }

            if (stuffedLength == 0)
            {
                return false;
            }

            _hasFrame = CheckFrame(stuffedLength);
            return _hasFrame;
        }

        /// <summary>
        /// Takes received bytes from <paramref name="buffer"/>, stopping right after a byte that completes
        /// an accepted frame, so that the caller can read it before feeding the rest:
        /// <code>
        ///   while (offset &lt; end) { offset += decoder.Feed(buffer, offset, end - offset); if (decoder.HasFrame) Handle(decoder); }
        /// </code>
        /// </summary>
        /// <returns>
        /// Bytes consumed: up to and including the byte that completed a frame, or all
        /// <paramref name="count"/>. When the range is invalid (null buffer, negative offset, range
        /// past the end) nothing is read and <paramref name="count"/> is returned (0 if negative), so
        /// that a loop like the one above ends.
        /// </returns>
        public int Feed(byte[] buffer, int offset, int count)
        {
            if (count <= 0)
            {
                return 0;
            }

            if (buffer == null || offset < 0 || offset > buffer.Length - count)
            {
                _hasFrame = false;
                return count;
            }

            for (int i = 0; i < count; i++)
            {
                if (Push(buffer[offset + i]))
                {
                    return i + 1;
                }
            }

            return count;
        }

        private bool CheckFrame(int stuffedLength)
        {
            int length = Cobs.Decode(_stuffed, 0, stuffedLength, _frame, 0);
            if (length < 0)
            {
                _cobsErrors++;
                return false;
            }

            if (length < FrameLayout.MinRawFrameLength)
            {
                _lengthErrors++;
                return false;
            }

            int crcOffset = length - FrameLayout.CrcLength;
            if (Crc32.Compute(_frame, 0, crcOffset) != LittleEndian.ReadUInt32(_frame, crcOffset))
            {
                _crcErrors++;
                return false;
            }

            if (_frame[FrameLayout.VersionOffset] != FrameLayout.ProtocolVersion)
            {
                _versionErrors++;
                return false;
            }

            int payloadLength = _frame[FrameLayout.LengthOffset];
            if (payloadLength != crcOffset - FrameLayout.HeaderLength)
            {
                _lengthErrors++;
                return false;
            }

            byte messageType = _frame[FrameLayout.TypeOffset];
            int expectedLength = FrameLayout.PayloadLengthOf(messageType);
            if (expectedLength < 0)
            {
                _unknownTypeFrames++;
                return false;
            }

            if (payloadLength != expectedLength)
            {
                _lengthErrors++;
                return false;
            }

            _framesAccepted++;
            _messageType = messageType;
            _payloadLength = payloadLength;
            _sequence = LittleEndian.ReadUInt16(_frame, FrameLayout.SequenceOffset);
            if (messageType == (byte)MessageType.Hello)
            {
                // A Hello opens a new connection, whatever its number (a restarted host numbers from 0 again):
                // it is not compared, it only sets the reference for the next frame.
                _isDuplicate = false;
                _hasSequence = true;
                _lastSequence = _sequence;
            }
            else
            {
                TrackSequence(_sequence);
            }

            return true;
        }

        // Sequence numbers (of every type but Hello) are compared modulo 2^16: a step of 1 is normal, 0 a duplicate, 2..32767 a gap
        // of step - 1 frames, 32768..65535 a step backwards (restart).
        private void TrackSequence(ushort sequence)
        {
            _isDuplicate = false;
            if (_hasSequence)
            {
                int step = (sequence - _lastSequence) & 0xFFFF;
                if (step == 0)
                {
                    _isDuplicate = true;
                    _duplicateFrames++;
                }
                else if (step >= 2 && step < 0x8000)
                {
                    _sequenceGaps++;
                    _framesMissed += (uint)(step - 1);
                }
                else if (step >= 0x8000)
                {
                    _sequenceRestarts++;
                }
            }

            _hasSequence = true;
            _lastSequence = sequence;
        }
    }
}
