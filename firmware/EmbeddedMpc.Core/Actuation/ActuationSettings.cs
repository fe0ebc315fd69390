using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Actuation
{
    /// <summary>Limits and compensation of <see cref="MotorActuator"/>; validated by its constructor.</summary>
    public sealed class ActuationSettings
    {
        /// <summary>
        /// <see cref="DeadbandCompensationFactor"/> for a profile's drive: a real drive's dead zone differs from the
        /// profile's figure from rig to rig (and by direction); compensating a fifth more than the figure lets a small
        /// command move the cart on most rigs instead of being eaten (measured in host-sim/BENCH.md, "Dead zone and dry
        /// friction in the actuation").
        /// </summary>
        public const float DefaultDeadbandCompensationFactor = 1.2f;

        /// <summary>
        /// <see cref="DryFrictionFeedForwardCommand"/> for a profile's drive, as a share of its dead zone: the profile's
        /// dead zone is the smallest duty that moves the cart, driver dead time and the cart's static friction together
        /// (<see cref="MotorParameters.DeadbandDuty"/>), and the planner's model has no Coulomb term, so two thirds of
        /// that figure are added to every command in its direction (0.04 of full command on esp32-rig; same source as
        /// <see cref="DefaultDeadbandCompensationFactor"/>).
        /// </summary>
        public const float DefaultDryFrictionShareOfDeadband = 0.667f;

        /// <summary>The drive as the controller believes it to be.</summary>
        public MotorParameters Motor { get; set; }

        /// <summary>Largest duty magnitude sent to the H-bridge; (0, 1].</summary>
        public float MaxDuty { get; set; } = 1f;

        /// <summary>Largest change of the signed duty from one tick to the next (slew limit); (0, 2].</summary>
        public float MaxDutyStepPerTick { get; set; } = 2f;

        /// <summary>The dead zone compensated, as a multiple of <see cref="MotorParameters.DeadbandDuty"/>; [0, 2]; 1 compensates the figure exactly.</summary>
        public float DeadbandCompensationFactor { get; set; } = 1f;

        /// <summary>Share of full command added to every command that is not zero, in its direction, to overcome the cart's dry friction; [0, 0.2].</summary>
        public float DryFrictionFeedForwardCommand { get; set; }

        /// <summary>
        /// Settings for <paramref name="profile"/>'s drive with no slew limit, the default dead-zone margin and the
        /// dry-friction feed-forward in proportion to its dead zone (an ideal force drive, with no dead zone, gets neither).
        /// </summary>
        public static ActuationSettings ForProfile(RigProfile profile)
        {
            MotorParameters motor = profile.CopyMotor();
            return new ActuationSettings
            {
                Motor = motor,
                DeadbandCompensationFactor = DefaultDeadbandCompensationFactor,
                DryFrictionFeedForwardCommand = DefaultDryFrictionShareOfDeadband * motor.DeadbandDuty,
            };
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireNotNull(Motor, nameof(Motor));
            Motor.Validate();
            Validation.RequireAbove(MaxDuty, 0f, 1f, nameof(MaxDuty));
            Validation.RequireAbove(MaxDutyStepPerTick, 0f, 2f, nameof(MaxDutyStepPerTick));
            Validation.RequireInRange(DeadbandCompensationFactor, 0f, 2f, nameof(DeadbandCompensationFactor));
            Validation.RequireInRange(DryFrictionFeedForwardCommand, 0f, 0.2f, nameof(DryFrictionFeedForwardCommand));
        }
    }
}
