using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Estimation
{
    /// <summary>
    /// Turns sensor readings into a state estimate. <see cref="EncoderStateEstimator"/> is the rig's;
    /// the simulator also has one that reads the simulated truth (for benchmark tasks with exact
    /// state). Allocates nothing per update.
    /// </summary>
    public interface IStateEstimator
    {
        /// <summary>
        /// Copies the latest estimate into <paramref name="state"/>, field by field. A method with an out
        /// parameter rather than a property: on nanoFramework's interpreter a returned struct is a heap copy,
        /// while writing into the caller's field allocates nothing.
        /// </summary>
        void ReadState(out CartPoleState state);

        /// <summary>Updates the estimate from <paramref name="reading"/>; false if the reading is implausible (the estimate is then unchanged).</summary>
        bool Update(ref SensorReading reading);

        /// <summary>Sets the cart origin so that <paramref name="cartCount"/> reads as <paramref name="positionMeters"/>.</summary>
        void SetCartPosition(long cartCount, float positionMeters);

        /// <summary>Declares the pole hanging straight down (theta = pi) at <paramref name="poleCount"/>.</summary>
        void SetPoleHanging(long poleCount);

        /// <summary>Forgets the history (velocities restart from zero).</summary>
        void Reset();
    }
}
