using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;

namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// Decides whether the swing-up may hand the pole over to the balance LQR: it predicts the catch (the LQR's
    /// command, clamped to the drive's range, applied through the drive's stall force and back-EMF to the
    /// planner's model, one step per control period) and lets the hand-over happen only when the predicted cart
    /// stays a margin inside the track and the pole ends near upright.
    /// </summary>
    /// <remarks>
    /// Why: the supervisor hands over on the pole's angle and speed alone, but on a rig whose cart tops out near
    /// 1 m/s a catch can need more track than there is. The LQR, designed without the drive's limits, then
    /// drives the cart into the braking margin and the run ends in a track fault. A declined hand-over leaves
    /// the swing-up planner in charge, which lets the pole pass and brings it up again. The model is the
    /// planner's own, so the prediction follows the online adaptation when there is one. Allocation-free.
    /// </remarks>
    public sealed class CatchCheck
    {
        private readonly CartPoleModel _model;
        private readonly LinearQuadraticRegulator _regulator;
        private readonly float _stallForceNewtons;
        private readonly float _backEmfDamping;
        private readonly float _periodSeconds;
        private readonly float _cartLimitMeters;
        private readonly float _finalAngleRadians;
        private readonly int _horizonTicks;
        private CartPoleState _probe;

        /// <param name="model">The planner's model (the adaptation, if any, writes it in place).</param>
        /// <param name="regulator">The balance LQR the hand-over would go to.</param>
        /// <param name="drive">The drive the LQR's command goes through.</param>
        /// <param name="controlPeriodSeconds">The control period, s; [0.001, 1].</param>
        /// <param name="trackHalfLengthMeters">The usable track's half-length, m; greater than the settings' margin.</param>
        /// <param name="settings">Horizon, margin and final angle.</param>
        /// <exception cref="System.ArgumentException">An argument is null or out of range.</exception>
        public CatchCheck(CartPoleModel model, LinearQuadraticRegulator regulator, MotorParameters drive, float controlPeriodSeconds,
            float trackHalfLengthMeters, CatchCheckSettings settings)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireNotNull(regulator, nameof(regulator));
            Validation.RequireNotNull(drive, nameof(drive));
            Validation.RequireNotNull(settings, nameof(settings));
            drive.Validate();
            settings.Validate();
            Validation.RequireInRange(controlPeriodSeconds, 0.001f, 1f, nameof(controlPeriodSeconds));
            Validation.RequireAbove(trackHalfLengthMeters, settings.CartMarginMeters, 100f, nameof(trackHalfLengthMeters));
            _model = model;
            _regulator = regulator;
            _stallForceNewtons = drive.StallForcePerDutyNewtons();
            _backEmfDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
            _periodSeconds = controlPeriodSeconds;
            _cartLimitMeters = trackHalfLengthMeters - settings.CartMarginMeters;
            _finalAngleRadians = settings.FinalAngleRadians;
            _horizonTicks = settings.HorizonTicks;
            RetryTicks = settings.RetryTicks;
        }

        /// <summary>Ticks a declined hand-over waits before the next one while the pole stays near upright (<see cref="CatchCheckSettings.RetryTicks"/>).</summary>
        public int RetryTicks { get; }

        /// <summary>The model the catch is predicted on (the planner's).</summary>
        public CartPoleModel Model => _model;

        /// <summary>Model steps of the last <see cref="CatchHolds"/> (it stops early once the cart leaves the limit).</summary>
        public int LastModelSteps { get; private set; }

        /// <summary>
        /// True when the balance LQR, taking over at <paramref name="state"/>, is predicted to keep the cart
        /// inside the track less the margin over the whole horizon and to end with the pole within the final angle.
        /// False for a state that is not finite.
        /// </summary>
        public bool CatchHolds(ref CartPoleState state)
        {
            _probe.CopyFrom(ref state);
            for (int tick = 0; tick < _horizonTicks; tick++)
            {
                float command = FloatMath.Clamp(_regulator.Command(ref _probe), -1f, 1f);
                float force = _stallForceNewtons * command - _backEmfDamping * _probe.XDot;
                _model.StepSemiImplicitEuler(ref _probe, force, _periodSeconds);
                if (!(FloatMath.Abs(_probe.X) <= _cartLimitMeters))
                {
                    LastModelSteps = tick + 1;
                    return false;
                }
            }

            LastModelSteps = _horizonTicks;
            return FloatMath.Abs(FloatMath.WrapToPi(_probe.Theta)) < _finalAngleRadians;
        }
    }
}
