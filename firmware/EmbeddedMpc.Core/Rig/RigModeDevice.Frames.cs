using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Rig
{
    /// <summary>Rig mode: what the host sends (Hello, Command, Configuration), the start button, and the model in use.</summary>
    public sealed partial class RigModeDevice
    {
        /// <summary>Seed of the excitation a Command Excite runs: that of `run --task excite --seed 1`.</summary>
        public const uint ExcitationRunSeed = 1;

        /// <summary>
        /// How far a model's track half-length may differ from the built-in one, m: a profile file's decimal
        /// round trip, not a real change of rail (rig mode refuses a model that moves the track).
        /// </summary>
        public const float TrackToleranceMeters = 0.0005f;

        /// <summary>
        /// Takes <paramref name="count"/> received bytes of <paramref name="buffer"/> from <paramref name="offset"/>
        /// and answers every frame they complete. <paramref name="nowMicroseconds"/> is the device clock.
        /// </summary>
        public void Receive(byte[] buffer, int offset, int count, long nowMicroseconds)
        {
            int remaining = count;
            while (remaining > 0)
            {
                int used = _decoder.Feed(buffer, offset, remaining);
                if (used <= 0)
                {
                    return;
                }

                offset += used;
                remaining -= used;
                if (_decoder.HasFrame && !_decoder.IsDuplicate)
                {
                    HandleFrame(nowMicroseconds);
                }
            }
        }

        /// <summary>The start button: in Fault it resets, in Idle or Ready it starts, while the motor may run it stops.</summary>
        public void ButtonPressed()
        {
            switch (_loop.Supervisor.Mode)
            {
                case SupervisorMode.Fault:
                    ApplyCommand(DeviceCommand.Reset, 0);
                    break;
                case SupervisorMode.Idle:
                case SupervisorMode.Ready:
                    ApplyCommand(DeviceCommand.Start, 0);
                    break;
                default:
                    ApplyCommand(DeviceCommand.Stop, 0);
                    break;
            }
        }

        /// <summary>
        /// Applies a command as a Command frame would, and returns the Ack's status; <paramref name="detail"/> says
        /// why an Excite was refused as InvalidValue.
        /// </summary>
        public AckStatus ApplyCommand(DeviceCommand command, uint durationMilliseconds, out AckDetail detail)
        {
            detail = AckDetail.None;
            Supervisor supervisor = _loop.Supervisor;
            bool running = DeviceCommands.MotorMayRun(supervisor.Mode);
            switch (command)
            {
                case DeviceCommand.Start:
                    if (_activity == RigActivity.Excitation && running)
                    {
                        return AckStatus.WrongMode; // Stop the excitation first
                    }

                    AckStatus started = DeviceCommands.Apply(supervisor, command);
                    if (started == AckStatus.Accepted)
                    {
                        _activity = RigActivity.Control;
                    }

                    return started;
                case DeviceCommand.Excite:
                    if (durationMilliseconds < CommandMessage.MinExcitationMilliseconds || durationMilliseconds > CommandMessage.MaxExcitationMilliseconds)
                    {
                        detail = AckDetail.Duration;
                        return AckStatus.InvalidValue;
                    }

                    if (_activity == RigActivity.Excitation)
                    {
                        return AckStatus.Accepted; // a retried Excite changes nothing
                    }

                    if (supervisor.Mode == SupervisorMode.Fault || running)
                    {
                        return AckStatus.WrongMode; // Reset, or Stop the swing-up, first
                    }

                    _loop.PolicyOverride = _excitation;
                    supervisor.SwingUpTimeoutSuspended = true;
                    _excitationTicksLeft = (int)((durationMilliseconds * 1000L + _periodMicroseconds / 2) / _periodMicroseconds);
                    _activity = RigActivity.Excitation;
                    return DeviceCommands.Apply(supervisor, DeviceCommand.Start);
                case DeviceCommand.Stop:
                case DeviceCommand.Reset:
                    AckStatus status = DeviceCommands.Apply(supervisor, command);
                    EndActivity();
                    return status;
                default:
                    return AckStatus.Unsupported;
            }
        }

        private void ApplyCommand(DeviceCommand command, uint durationMilliseconds)
        {
            AckDetail ignored;
            ApplyCommand(command, durationMilliseconds, out ignored);
        }

        private void HandleFrame(long nowMicroseconds)
        {
            byte[] frame = _decoder.Frame;
            switch (_decoder.MessageType)
            {
                case MessageType.Hello:
                    _hello.Read(frame, FrameLayout.PayloadOffset);
                    _sessionFlags = _hello.Flags & SupportedSessionFlags;
                    Sessions++;
                    _helloAck.ProtocolVersion = FrameLayout.ProtocolVersion;
                    _helloAck.FirmwareMajor = _firmwareMajor;
                    _helloAck.FirmwareMinor = _firmwareMinor;
                    _helloAck.FirmwarePatch = _firmwarePatch;
                    _helloAck.ControlPeriodMicroseconds = _periodMicroseconds;
                    _helloAck.Flags = _sessionFlags;
                    _helloAck.ModelId = _telemetry.Record.ModelId;
                    _helloAck.ModelSource = _telemetry.Record.ModelSource;
                    _outputLength = _encoder.Encode(ref _helloAck, _output, 0);
                    break;
                case MessageType.Command:
                    _command.Read(frame, FrameLayout.PayloadOffset);
                    AckDetail detail;
                    AckStatus status = ApplyCommand(_command.Command, _command.DurationMilliseconds, out detail);
                    CommandsHandled++;
                    PrepareAck(MessageType.Command, status, detail, 0);
                    break;
                case MessageType.Configuration:
                    _configuration.Read(frame, FrameLayout.PayloadOffset);
                    OnConfiguration();
                    break;
                default:
                    return; // Heartbeats show the host is there; SensorReadings belong to HIL mode
            }

            Flush(nowMicroseconds);
        }

        private void OnConfiguration()
        {
            SupervisorMode mode = _loop.Supervisor.Mode;
            if (mode != SupervisorMode.Idle && mode != SupervisorMode.Ready && mode != SupervisorMode.Fault)
            {
                ConfigurationsRejected++;
                PrepareAck(MessageType.Configuration, AckStatus.WrongMode, AckDetail.Running, 0);
                return;
            }

            FaultReason latchedFault = _loop.Supervisor.Fault;
            uint limit;
            AckDetail detail = Check(out limit);
            if (detail == AckDetail.None && !Apply())
            {
                detail = AckDetail.Rejected;
            }

            if (detail != AckDetail.None)
            {
                ConfigurationsRejected++;
                PrepareAck(MessageType.Configuration, AckStatus.InvalidValue, detail, limit);
                return;
            }

            if (mode == SupervisorMode.Fault)
            {
                // A new model does not clear a fault: the new loop's supervisor keeps the latched reason until a Reset.
                _loop.Supervisor.EnterFault(latchedFault);
                _lastMode = SupervisorMode.Fault;
            }

            StoredModel.Write(ref _configuration, _storeBuffer);
            bool saved = _store != null && _store.Save(_storeBuffer, StoredModel.Length);
            _telemetry.Record.ModelSource = saved ? ModelSource.Stored : ModelSource.Unsaved;
            ConfigurationsApplied++;
            PrepareAck(MessageType.Configuration, AckStatus.Accepted, AckDetail.None, 0);
        }

        // The Configuration's ranges, then this device's period (the rig's loop runs at the compiled-in period), then
        // the track: its half-length places the homing origin and the supervisor's track limits, which must match
        // the rail and the switches the board is built into, so a model may not move them (Limit: the built-in
        // half-length in millimetres).
        private AckDetail Check(out uint limit)
        {
            limit = 0;
            AckDetail detail = ConfigurationRules.CheckRanges(ref _configuration);
            if (detail == AckDetail.None && _configuration.ControlPeriodMicroseconds != _periodMicroseconds)
            {
                limit = _periodMicroseconds;
                detail = AckDetail.ControlPeriodMicroseconds;
            }

            if (detail == AckDetail.None
                && Math.FloatMath.Abs(_configuration.TrackHalfLengthMeters - _builtInTrackHalfLengthMeters) > TrackToleranceMeters)
            {
                limit = (uint)(_builtInTrackHalfLengthMeters * 1000f + 0.5f);
                detail = AckDetail.TrackHalfLengthMeters;
            }

            return detail;
        }

        // Builds everything for _configuration before replacing anything, so a failure leaves the old model whole.
        private bool Apply()
        {
            RigProfile profile;
            ControlLoop loop;
            ExcitationPolicy excitation;
            try
            {
                profile = _configuration.ToProfile(_builtInProfile);
                loop = _controller.Build(profile);
                excitation = ExcitationPolicy.ForProfile(profile, ExcitationPolicy.SeedForRun(ExcitationRunSeed));
            }
            catch (System.Exception)
            {
                // Not only a value the profile refuses: the second planner may not fit in the heap beside the live
                // one. The motor is off here (Idle, Ready or Fault), and the old model stays whole.
                return false;
            }

            if (_loop != null)
            {
                EndActivity();
            }

            _loop = loop;
            _profile = profile;
            _excitation = excitation;
            _activity = RigActivity.None;
            _lastMode = loop.Supervisor.Mode;
            _telemetry.Record.ModelId = _configuration.RigModelId();
            return true;
        }

        private void LoadStoredModel()
        {
            int count = _store == null ? -1 : _store.Load(_storeBuffer);
            if (count >= 0)
            {
                uint limit;
                if (StoredModel.TryRead(_storeBuffer, count, ref _configuration) && Check(out limit) == AckDetail.None && Apply())
                {
                    _telemetry.Record.ModelSource = ModelSource.Stored;
                    return;
                }
            }

            _configuration = new ConfigurationMessage();
            _configuration.SetRig(_builtInProfile);
            if (!Apply())
            {
                throw new System.ArgumentException("The built-in profile does not build a controller on this device.", "builtInProfile");
            }

            _telemetry.Record.ModelSource = count >= 0 ? ModelSource.BuiltInStoredCorrupt : ModelSource.BuiltIn;
        }

        private void PrepareAck(MessageType acknowledgedType, AckStatus status, AckDetail detail, uint limit)
        {
            _ack.AcknowledgedType = acknowledgedType;
            _ack.AcknowledgedSequence = _decoder.Sequence;
            _ack.Status = status;
            _ack.Detail = detail;
            _ack.Limit = limit;
            _outputLength = _encoder.Encode(ref _ack, _output, 0);
        }
    }
}
