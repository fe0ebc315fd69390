using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Benchmark
{
    /// <summary>
    /// A stand-in rig for the benchmark: the Core's model of the ESP32 rig integrated at 1 ms (semi-implicit
    /// Euler) under the force the duty the loop sets produces (the drive's dead zone, then its motor model, as
    /// in the simulator), read back as whole encoder counts with every safety contact closed. The ticks
    /// measured are swing-up and balance ticks of the real controller; the plant is not the simulator's
    /// (no friction, end stops or latency). Allocates nothing per call.
    /// </summary>
    internal sealed class ModelRig : IRigSensors, IMotorDriver
    {
        private const int SubstepsPerPeriod = 20;
        private readonly CartPoleModel _model;
        private readonly MotorParameters _drive;
        private readonly float _cartCountsPerMeter;
        private readonly float _poleCountsPerRadian;
        private readonly float _substepSeconds;
        private CartPoleState _state;
        private float _duty;

        /// <param name="profile">The rig (model, drive, encoder scales, control period).</param>
        /// <param name="encoderCountScale">Counts per count of the profile's (x4) scales, as the loop's estimator was
        /// built with: <c>FirmwareSettings.EncoderCountScale</c> for the rig's stack (the PCNT's 3 counts per cycle),
        /// 1 for HIL mode's.</param>
        public ModelRig(RigProfile profile, float encoderCountScale)
        {
            _model = new CartPoleModel(profile.CopyParameters());
            _drive = profile.CopyMotor();
            _cartCountsPerMeter = profile.CartCountsPerMeter * encoderCountScale;
            _poleCountsPerRadian = profile.PoleCountsPerRevolution * encoderCountScale / EmbeddedMpc.Core.Math.FloatMath.TwoPi;
            _substepSeconds = profile.ControlPeriodSeconds / SubstepsPerPeriod;
            Restart();
        }

        /// <summary>Cart encoder count now (0 at the centre of the track).</summary>
        public long CartCount => Round(_state.X * _cartCountsPerMeter);

        /// <summary>Pole encoder count now (0 upright).</summary>
        public long PoleCount => Round(_state.Theta * _poleCountsPerRadian);

        /// <summary>Pole angle now, rad (0 upright).</summary>
        public float ThetaRadians => _state.Theta;

        /// <summary>Back to the start: cart centred and still, pole hanging (slightly off, so the swing-up has a side to start on).</summary>
        public void Restart()
        {
            _state.X = 0f;
            _state.XDot = 0f;
            _state.Theta = EmbeddedMpc.Core.Math.FloatMath.Pi - 0.01f;
            _state.ThetaDot = 0f;
            _duty = 0f;
        }

        /// <inheritdoc />
        public void Read(ref SensorReading reading)
        {
            reading.CartCount = CartCount;
            reading.PoleCount = PoleCount;
            reading.NegativeLimitTripped = false;
            reading.PositiveLimitTripped = false;
            reading.EmergencyStopPressed = false;
        }

        /// <inheritdoc />
        public void SetDuty(float signedDuty)
        {
            _duty = signedDuty;
        }

        /// <summary>Integrates one control period with the last duty.</summary>
        public void AdvanceOnePeriod()
        {
            float magnitude = _duty < 0f ? -_duty : _duty;
            float deadband = _drive.DeadbandDuty;
            float effective = magnitude <= deadband ? 0f : (magnitude - deadband) / (1f - deadband);
            effective = _duty < 0f ? -effective : effective;
            for (int i = 0; i < SubstepsPerPeriod; i++)
            {
                _model.StepSemiImplicitEuler(ref _state, _drive.ForceNewtons(effective, _state.XDot), _substepSeconds);
            }
        }

        private static long Round(float value)
        {
            return value >= 0f ? (long)(value + 0.5f) : -(long)(-value + 0.5f);
        }
    }
}
