using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Actuation
{
    /// <summary>Limits of <see cref="MotorActuator"/>; validated by its constructor.</summary>
    public sealed class ActuationSettings
    {
        /// <summary>The drive as the controller believes it to be.</summary>
        public MotorParameters Motor { get; set; }

        /// <summary>Largest duty magnitude sent to the H-bridge; (0, 1].</summary>
        public float MaxDuty { get; set; } = 1f;

        /// <summary>Largest change of the signed duty from one tick to the next (slew limit); (0, 2].</summary>
        public float MaxDutyStepPerTick { get; set; } = 2f;

        /// <summary>Settings for <paramref name="profile"/>'s drive with no slew limit.</summary>
        public static ActuationSettings ForProfile(RigProfile profile)
        {
            return new ActuationSettings { Motor = profile.CopyMotor() };
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireNotNull(Motor, nameof(Motor));
            Motor.Validate();
            Validation.RequireAbove(MaxDuty, 0f, 1f, nameof(MaxDuty));
            Validation.RequireAbove(MaxDutyStepPerTick, 0f, 2f, nameof(MaxDutyStepPerTick));
        }
    }
}
