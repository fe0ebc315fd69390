using System;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// The simulated mechanics of the rig: the profile's true parameters integrated with RK4 at a fine
/// fixed step (1 kHz by default), mechanical end stops, and encoders that report whole counts
/// (0 at x = 0 and theta = 0). The drive is modelled by <see cref="SimulatedRig"/>.
/// </summary>
public sealed class SimulatedPlant
{
    private readonly CartPoleModel _model;
    private readonly float _trackHalfLengthMeters;
    private readonly float _endStopMeters;
    private readonly float _cartCountsPerMeter;
    private readonly float _poleCountsPerRadian;
    private CartPoleState _state;

    /// <param name="profile">The rig; its parameters are the plant's truth.</param>
    /// <param name="initialState">State at time zero.</param>
    /// <param name="stepSeconds">Integration step, s; (0, 0.001] (1 kHz or finer).</param>
    public SimulatedPlant(RigProfile profile, CartPoleState initialState, double stepSeconds = 0.001)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!(stepSeconds > 0 && stepSeconds <= 0.001))
        {
            throw new ArgumentException($"stepSeconds must be in (0, 0.001] (1 kHz or finer); got {stepSeconds}.", nameof(stepSeconds));
        }

        CartPoleParameters parameters = profile.CopyParameters();
        _model = new CartPoleModel(parameters);
        _trackHalfLengthMeters = parameters.TrackHalfLengthMeters;
        _endStopMeters = parameters.TrackHalfLengthMeters + profile.EndStopOffsetMeters;
        _cartCountsPerMeter = profile.CartCountsPerMeter;
        _poleCountsPerRadian = profile.PoleCountsPerRevolution / FloatMath.TwoPi;
        StepSeconds = (float)stepSeconds;
        _state = initialState;
    }

    /// <summary>Integration step, s.</summary>
    public float StepSeconds { get; }

    /// <summary>The true state.</summary>
    public CartPoleState State => _state;

    /// <summary>True once the cart has gone beyond the usable track (|x| &gt; track half-length).</summary>
    public bool LeftTrack { get; private set; }

    /// <summary>True once the cart has hit a mechanical end stop.</summary>
    public bool HitEndStop { get; private set; }

    /// <summary>Largest |x| seen, m.</summary>
    public float MaxAbsCartPositionMeters { get; private set; }

    /// <summary>Whether the profile has encoders (non-zero resolution) rather than exact measurement.</summary>
    public bool HasEncoders => _cartCountsPerMeter > 0f && _poleCountsPerRadian > 0f;

    /// <summary>Cart encoder reading: x in whole counts (rounded).</summary>
    public long CartCount => (long)Math.Round(_state.X * (double)_cartCountsPerMeter);

    /// <summary>Pole encoder reading: theta in whole counts (rounded), 0 upright.</summary>
    public long PoleCount => (long)Math.Round(_state.Theta * (double)_poleCountsPerRadian);

    /// <summary>Advances one integration step with <paramref name="forceNewtons"/> on the cart (NaN counts as 0).</summary>
    public void Step(float forceNewtons)
    {
        float force = float.IsNaN(forceNewtons) ? 0f : forceNewtons;
        _model.StepRk4(ref _state, force, StepSeconds);
        float distance = Math.Abs(_state.X);
        if (distance >= _endStopMeters)
        {
            // End stop: the cart stops dead (an inelastic hit).
            HitEndStop = true;
            _state.X = Math.Sign(_state.X) * _endStopMeters;
            _state.XDot = 0f;
            distance = _endStopMeters;
        }

        LeftTrack |= distance > _trackHalfLengthMeters;
        MaxAbsCartPositionMeters = Math.Max(MaxAbsCartPositionMeters, distance);
    }

    /// <summary>A tap on the pole: its angular velocity changes at once by <paramref name="thetaDotChange"/>, rad/s.</summary>
    public void Push(float thetaDotChange)
    {
        _state.ThetaDot += thetaDotChange;
    }

    /// <summary>Forgets the track records (max |x|, left track, end stop), e.g. once homing is over.</summary>
    public void ResetTrackRecords()
    {
        LeftTrack = false;
        HitEndStop = false;
        MaxAbsCartPositionMeters = Math.Abs(_state.X);
    }
}
