using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Hil
{
    // The device's answers: a tick per fresh SensorReadings, repeats, Acks, Faults, LoopStatistics, and the writes.
    public sealed partial class HilDevice
    {
        /// <summary>
        /// Sends a LoopStatistics frame for the window that ends now: the last TickIndex, the overruns and
        /// readings missed so far, the window's largest jitter and longest tick, and the platform's
        /// <paramref name="freeMemoryBytes"/> and <paramref name="garbageCollectionMicroseconds"/> (0 when
        /// unknown). Starts a new window.
        /// </summary>
        public void SendLoopStatistics(uint freeMemoryBytes, uint garbageCollectionMicroseconds)
        {
            _loopStatistics.TickIndex = _lastTickIndex;
            _loopStatistics.Overruns = _overruns;
            _loopStatistics.SkippedPeriods = _readingsMissed;
            _loopStatistics.MaxJitterMicroseconds = Saturate(_windowMaxJitter);
            _loopStatistics.MaxTickMicroseconds = Saturate(_windowMaxTick);
            _loopStatistics.FreeMemoryBytes = freeMemoryBytes;
            _loopStatistics.GarbageCollectionMicroseconds = garbageCollectionMicroseconds;
            Transmit(_encoder.Encode(ref _loopStatistics, _output, 0));
            _windowMaxJitter = 0;
            _windowMaxTick = 0;
            _ticksInWindow = 0;
        }

        private void OnSensorReadings(long arrival)
        {
            uint tickIndex = _readings.TickIndex;
            uint step = 1;
            if (_hasTicked)
            {
                step = tickIndex - _lastTickIndex;
                if (step == 0)
                {
                    // The host's retry: the answer was lost or slow. Send it again; do not run the tick twice,
                    // and do not feed the watchdog: a host stuck on one tick no longer simulates the plant.
                    _repeatedReadings++;
                    SendTickAnswer();
                    return;
                }

                if (step >= 0x80000000u)
                {
                    // Older than the last tick: ignored, and no sign that the host still simulates the plant.
                    _staleReadings++;
                    return;
                }

                if (step > 1)
                {
                    _readingGaps++;
                    _readingsMissed += step - 1;
                }

                if ((_sessionFlags & HelloMessage.FlagLockstep) == 0)
                {
                    long jitter = arrival - (_lastReadingArrival + step * (long)_controller.ControlPeriodMicroseconds);
                    if (jitter < 0)
                    {
                        jitter = -jitter;
                    }

                    if (jitter > _windowMaxJitter)
                    {
                        _windowMaxJitter = jitter;
                    }
                }
            }

            _lastReadingArrival = arrival;
            _watchdog.FreshReadingReceived(arrival); // only a reading that runs a tick feeds the link-loss rule
            long start = _clock.NowMicroseconds;
            _sensors.Update(ref _readings.Reading);
            _controller.Loop.Tick(ref _telemetry.Record);
            _telemetry.Record.TickIndex = tickIndex; // the host's numbering, so that it can match answers to readings
            _lastTickIndex = tickIndex;
            _hasTicked = true;
            _ticksRun++;

            _motorCommand.TickIndex = tickIndex;
            _motorCommand.Duty = _motor.Duty;
            _motorCommand.ForceNewtons = _telemetry.Record.ForceNewtons;
            _tickStatistics.TickIndex = tickIndex;
            _tickStatistics.PlanningMicroseconds = _telemetry.Record.PlanningMicroseconds;
            _tickStatistics.ModelSteps = _telemetry.Record.ModelSteps;
            _tickStatistics.OverrunStreak = _telemetry.Record.OverrunStreak;
            SendTickAnswer();

            SupervisorMode mode = _telemetry.Record.Mode;
            if (mode == SupervisorMode.Fault && _lastMode != SupervisorMode.Fault)
            {
                SendFault(tickIndex, _telemetry.Record.Fault);
            }

            _lastMode = mode;
            long tickMicroseconds = _clock.NowMicroseconds - start;
            if (tickMicroseconds > _controller.ControlPeriodMicroseconds)
            {
                _overruns++;
            }

            if (tickMicroseconds > _windowMaxTick)
            {
                _windowMaxTick = tickMicroseconds;
            }

            _ticksInWindow++;
        }

        // The link was lost after the last tick: a host that repeats that tick's reading is answered with the
        // motor off and the Fault, not with the duty the tick once chose.
        private void MotorOffInLastAnswer()
        {
            _motorCommand.Duty = 0f;
            _motorCommand.ForceNewtons = 0f;
            _telemetry.Record.Duty = 0f;
            _telemetry.Record.Command = 0f;
            _telemetry.Record.ForceNewtons = 0f;
            _telemetry.Record.Mode = SupervisorMode.Fault;
            _telemetry.Record.Fault = FaultReason.LinkLost;
        }

        // MotorCommand first, then TickStatistics and Telemetry as the Hello asked: one write.
        private void SendTickAnswer()
        {
            int length = _encoder.Encode(ref _motorCommand, _output, 0);
            if ((_sessionFlags & HelloMessage.FlagSendTickStatistics) != 0)
            {
                length += _encoder.Encode(ref _tickStatistics, _output, length);
            }

            if ((_sessionFlags & HelloMessage.FlagSendTelemetry) != 0)
            {
                length += _encoder.Encode(ref _telemetry, _output, length);
            }

            Transmit(length);
        }

        private void SendAck(MessageType acknowledgedType, ushort acknowledgedSequence, AckStatus status, AckDetail detail, uint limit)
        {
            _ack.AcknowledgedType = acknowledgedType;
            _ack.AcknowledgedSequence = acknowledgedSequence;
            _ack.Status = status;
            _ack.Detail = detail;
            _ack.Limit = limit;
            Transmit(_encoder.Encode(ref _ack, _output, 0));
        }

        private void SendFault(uint tickIndex, FaultReason reason)
        {
            _fault.TickIndex = tickIndex;
            _fault.Reason = reason;
            Transmit(_encoder.Encode(ref _fault, _output, 0));
        }

        private void Transmit(int length)
        {
            if (length > 0)
            {
                _transmitter.Transmit(_output, 0, length);
                _watchdog.FrameSent(_clock.NowMicroseconds);
            }
        }

        private static uint Saturate(long value)
        {
            if (value <= 0)
            {
                return 0;
            }

            return value >= 0xFFFFFFFFL ? 0xFFFFFFFFu : (uint)value;
        }
    }
}
