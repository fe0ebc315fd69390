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
        /// <see cref="DryFrictionFeedForwardCommand"/> for a profile whose drive has a dead zone (a real motor drive, on
        /// a cart with dry friction): the planner's model has no Coulomb term, so this share of full command is added in
        /// the command's direction (same source as <see cref="DefaultDeadbandCompensationFactor"/>).
        /// </summary>
        public const float DefaultDryFrictionFeedForwardCommand = 0.04f;

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
        /// Settings for <paramref name="profile"/>'s drive with no slew limit; a drive with a dead zone gets the default
        /// dead-zone margin and dry-friction feed-forward, an ideal force drive (no dead zone) neither.
        /// </summary>
        public static ActuationSettings ForProfile(RigProfile profile)
        {
            MotorParameters motor = profile.CopyMotor();
            bool realDrive = motor.DeadbandDuty > 0f;
            return new ActuationSettings
            {
                Motor = motor,
                DeadbandCompensationFactor = realDrive ? DefaultDeadbandCompensationFactor : 1f,
                DryFrictionFeedForwardCommand = realDrive ? DefaultDryFrictionFeedForwardCommand : 0f,
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
