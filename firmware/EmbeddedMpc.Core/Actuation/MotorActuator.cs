using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.Core.Actuation
{
    /// <summary>
    /// Turns the normalized drive command u in [-1, 1] (the effective duty the planner's drive model
    /// uses, see <see cref="Model.MotorParameters"/>) into the signed PWM duty sent to the H-bridge:
    /// adds the dry-friction feed-forward f in the command's direction (the planner's model has no
    /// Coulomb term), then compensates the drive's dead zone, d = sign(u) (b + (1 - b) min(1, |u| + f)),
    /// the inverse of a dead zone b (the profile's figure times the compensation factor); clamps to the
    /// duty limit; limits the change per tick (slew). The back-EMF is not inverted here: it is part of
    /// the planner's model. Allocates nothing after construction.
    /// <para>
    /// Given the cart's speed (<see cref="DutyFor(float, float)"/>), f learns the rig's stiction:
    /// f = f0 + s, where s rises by a step every tick the cart stays at rest under a command, beyond a
    /// few ticks, up to a bound, and is kept while the cart moves. A drive whose breakaway force is above
    /// f0 otherwise holds the cart still under the small commands a planner sends to start a swing-up,
    /// and the adaptation of its model gets nothing to learn from.
    /// </para>
    /// </summary>
    public sealed class MotorActuator
    {
        private readonly float _deadband;
        private readonly float _exactDeadband;
        private readonly float _frictionCommand;
        private readonly float _maxDuty;
        private readonly float _maxStep;
        private readonly float _breakawayStep;
        private readonly float _maxBreakaway;
        private readonly int _breakawayRestTicks;
        private readonly float _restSpeed;
        private readonly float _breakawayMinimumCommand;
        private float _breakawayCommand;
        private int _restTicks;
        private float _previousDuty;

        /// <summary>Commands smaller than this are sent as zero rather than kicked to the deadband.</summary>
        public const float MinimumCommand = 0.002f;

        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public MotorActuator(ActuationSettings settings)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            settings.Validate();
            _exactDeadband = settings.Motor.DeadbandDuty;
            _deadband = _exactDeadband * settings.DeadbandCompensationFactor;
            _frictionCommand = settings.DryFrictionFeedForwardCommand;
            _maxDuty = settings.MaxDuty;
            _maxStep = settings.MaxDutyStepPerTick;
            _breakawayStep = settings.BreakawayStepCommand;
            _maxBreakaway = settings.MaxBreakawayCommand;
            _breakawayRestTicks = settings.BreakawayRestTicks;
            _restSpeed = settings.RestSpeedMetersPerSecond;
            _breakawayMinimumCommand = settings.BreakawayMinimumCommand;
        }

        /// <summary>The duty returned by the last call, or 0 after <see cref="Off"/>.</summary>
        public float LastDuty => _previousDuty;

        /// <summary>The rise of the dry-friction feed-forward learned so far, share of full command; [0, MaxBreakawayCommand].</summary>
        public float BreakawayCommand => _breakawayCommand;

        /// <summary>
        /// Signed duty in [-MaxDuty, MaxDuty] for the normalized command <paramref name="command"/> with the fixed
        /// feed-forward in the command's direction, for a caller that does not know the cart's speed; learns nothing.
        /// </summary>
        public float DutyFor(float command)
        {
            return Compensate(command, _deadband, _frictionCommand);
        }

        /// <summary>
        /// Signed duty in [-MaxDuty, MaxDuty] for the normalized command <paramref name="command"/> with the cart
        /// moving at <paramref name="cartSpeedMetersPerSecond"/> (the estimate of this tick): the feed-forward with its
        /// breakaway part learned (see the class).
        /// </summary>
        public float DutyFor(float command, float cartSpeedMetersPerSecond)
        {
            if (FloatMath.Abs(cartSpeedMetersPerSecond) >= _restSpeed)
            {
                _restTicks = 0;
            }
            else if (FloatMath.Abs(command) > _breakawayMinimumCommand && ++_restTicks >= _breakawayRestTicks)
            {
                // A command that has not moved the cart for a few ticks is below its breakaway force.
                _breakawayCommand = FloatMath.Clamp(_breakawayCommand + _breakawayStep, 0f, _maxBreakaway);
            }

            return Compensate(command, _deadband, _frictionCommand + _breakawayCommand);
        }

        /// <summary>
        /// As <see cref="DutyFor(float)"/> with the profile's dead zone inverted exactly and no dry-friction feed-forward, for
        /// a speed loop that closes its own loop on the measured speed (homing): near its target its commands are
        /// small and change sign, and the feed-forward would turn them into a limit cycle on a rig with little friction.
        /// </summary>
        public float SpeedLoopDutyFor(float command)
        {
            return Compensate(command, _exactDeadband, 0f);
        }

        private float Compensate(float command, float deadband, float frictionCommand)
        {
            float duty = 0f;
            float magnitude = FloatMath.Abs(command);
            if (magnitude > MinimumCommand)
            {
                float compensated = deadband + (1f - deadband) * FloatMath.Clamp(magnitude + frictionCommand, 0f, 1f);
                duty = command > 0f ? compensated : -compensated;
            }

            duty = FloatMath.Clamp(duty, -_maxDuty, _maxDuty);
            duty = FloatMath.Clamp(duty, _previousDuty - _maxStep, _previousDuty + _maxStep);
            _previousDuty = duty;
            return duty;
        }

        /// <summary>Commands zero from now on, and forgets the slew history and the learned breakaway (a new start learns it anew).</summary>
        public float Off()
        {
            _previousDuty = 0f;
            _breakawayCommand = 0f;
            _restTicks = 0;
            return 0f;
        }
    }
}
