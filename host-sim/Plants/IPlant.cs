using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Plants;

/// <summary>
/// The mechanics a simulated rig drives: the cart and pole, integrated at the plant's own fixed step
/// with the force on the cart held over each step, their end stops, and what the metrics need to
/// know about the track. The drive (duty to force) and the sensors (state to counts) belong to the
/// rig around the plant, not to the plant.
/// </summary>
public interface IPlant
{
    /// <summary>The plant's integration step, s; a control period holds a whole number of them.</summary>
    double StepSeconds { get; }

    /// <summary>The true state now.</summary>
    CartPoleState State { get; }

    /// <summary>True once the cart has gone beyond the usable track (|x| &gt; track half-length).</summary>
    bool LeftTrack { get; }

    /// <summary>True once the cart has hit a mechanical end stop (or the slider's limit).</summary>
    bool HitEndStop { get; }

    /// <summary>Largest |x| seen since the last <see cref="ResetTrackRecords"/>, m.</summary>
    float MaxAbsCartPositionMeters { get; }

    /// <summary>Advances one integration step with <paramref name="forceNewtons"/> on the cart (NaN counts as 0).</summary>
    void Step(float forceNewtons);

    /// <summary>A tap on the pole: its angular velocity changes at once by <paramref name="thetaDotChange"/>, rad/s.</summary>
    void Push(float thetaDotChange);

    /// <summary>Forgets the track records (max |x|, left track, end stop), e.g. once homing is over.</summary>
    void ResetTrackRecords();
}
