namespace EmbeddedMpc.Core.Hardware
{
    /// <summary>
    /// The H-bridge and motor. The duty is signed: its magnitude is the PWM duty cycle in [0, 1], its
    /// sign the direction (+ drives the cart toward +x). Allocates nothing.
    /// </summary>
    public interface IMotorDriver
    {
        /// <summary>Applies the signed duty <paramref name="signedDuty"/> in [-1, 1].</summary>
        void SetDuty(float signedDuty);
    }
}
