using System;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Plants;

/// <summary>
/// The ideal plant: the Core's own <see cref="CartPoleModel"/> with the profile's true parameters,
/// integrated with RK4 at a fine fixed step (1 kHz by default), and mechanical end stops. The planner
/// meets its own equations here; the other plants (<see cref="RealisticPlant"/>, <see cref="MuJoCoPlant"/>)
/// are written separately. The drive and the sensors are modelled by <see cref="RigHardware"/>.
/// </summary>
public sealed class IdealPlant : IPlant
{
    private readonly CartPoleModel _model;
    private readonly float _trackHalfLengthMeters;
    private readonly float _endStopMeters;
    private readonly float _stepSeconds;
    private CartPoleState _state;

    /// <param name="profile">The rig; its parameters are the plant's truth.</param>
    /// <param name="initialState">State at time zero.</param>
    /// <param name="stepSeconds">Integration step, s; (0, 0.001] (1 kHz or finer).</param>
    public IdealPlant(RigProfile profile, CartPoleState initialState, double stepSeconds = 0.001)
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
        _stepSeconds = (float)stepSeconds;
        StepSeconds = stepSeconds;
        _state = initialState;
    }

    /// <inheritdoc />
    public double StepSeconds { get; }

    /// <summary>The true state.</summary>
    public CartPoleState State => _state;

    /// <summary>True once the cart has gone beyond the usable track (|x| &gt; track half-length).</summary>
    public bool LeftTrack { get; private set; }

    /// <summary>True once the cart has hit a mechanical end stop.</summary>
    public bool HitEndStop { get; private set; }

    /// <summary>Largest |x| seen, m.</summary>
    public float MaxAbsCartPositionMeters { get; private set; }

    /// <summary>Advances one integration step with <paramref name="forceNewtons"/> on the cart (NaN counts as 0).</summary>
    public void Step(float forceNewtons)
    {
        float force = float.IsNaN(forceNewtons) ? 0f : forceNewtons;
        _model.StepRk4(ref _state, force, _stepSeconds);
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
