using System;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Plants;

/// <summary>
/// The cart-pole with the friction real rigs have, written apart from the Core's model and in double
/// precision: viscous and Coulomb friction with stiction on the cart, the Coulomb force following the
/// track's normal force (Florian's equations, which the rod-on-a-cart models leave out), viscous and
/// Coulomb friction with stiction at the pivot, and the same end stops as the ideal plant. Integrated by
/// semi-implicit Euler at 0.1 ms inside each 1 ms plant step, with a stick test (Karnopp's) whenever a
/// velocity reaches zero, so that a cart held by stiction stays exactly still.
/// </summary>
/// <remarks>
/// With M, m, l, J, g, the viscous b_c, b_p, F the force on the cart and theta = 0 upright:
/// <code>
///   (M + m) xDDot + m l cos(theta) thetaDDot = F - b_c xDot + m l sin(theta) thetaDot^2 - F_f      (1)
///   m l cos(theta) xDDot + J thetaDDot       = m g l sin(theta) - b_p thetaDot - T_f                (2)
///   N = (M + m) g - m l (thetaDDot sin(theta) + thetaDot^2 cos(theta))                             (3)
/// </code>
/// where, sliding, F_f = mu_k |N| sgn(xDot) with mu_k = Coulomb force / ((M + m) g), and T_f the pivot's
/// Coulomb torque. F_f depends on thetaDDot through N, so (1)-(2) are solved with the sign of N from
/// the last substep and again if the solution flips it (Florian 2007).
/// </remarks>
public sealed class RealisticPlant : IPlant
{
    /// <summary>Semi-implicit Euler substeps per plant step.</summary>
    public const int Substeps = 10;

    private const double StuckCartSpeed = 1e-5;        // m/s: below this the cart is tested for sticking
    private const double StuckPoleSpeed = 1e-5;        // rad/s: the same for the pivot

    private readonly double _totalMass;
    private readonly double _poleMassLength;
    private readonly double _inertia;
    private readonly double _gravity;
    private readonly double _cartDamping;
    private readonly double _pivotDamping;
    private readonly double _kineticFriction;   // mu_k
    private readonly double _staticFriction;    // mu_s
    private readonly double _pivotCoulomb;
    private readonly double _pivotStiction;
    private readonly double _trackHalfLength;
    private readonly double _endStop;
    private readonly double _substepSeconds;
    private double _x;
    private double _xDot;
    private double _theta;
    private double _thetaDot;
    private double _normalSign = 1;
    private double _lastCartAcceleration;

    /// <param name="profile">The rig; its parameters are the plant's truth.</param>
    /// <param name="effects">The friction sizes (the other effects belong to the drive and sensors).</param>
    /// <param name="initialState">State at time zero.</param>
    /// <param name="stepSeconds">Plant step, s, (0, 0.001].</param>
    public RealisticPlant(RigProfile profile, RealityEffects effects, CartPoleState initialState, double stepSeconds = 0.001)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(effects);
        if (!(stepSeconds > 0 && stepSeconds <= 0.001))
        {
            throw new ArgumentException($"stepSeconds must be in (0, 0.001]; got {stepSeconds}.", nameof(stepSeconds));
        }

        CartPoleParameters p = profile.CopyParameters();
        _totalMass = (double)p.CartMassKilograms + p.PoleMassKilograms;
        _poleMassLength = (double)p.PoleMassKilograms * p.PivotToCenterOfMassMeters;
        _inertia = p.PoleInertiaAboutPivotKilogramSquareMeters;
        _gravity = p.GravityMetersPerSecondSquared;
        _cartDamping = p.CartDampingNewtonSecondsPerMeter;
        _pivotDamping = p.PivotDampingNewtonMeterSecondsPerRadian;
        // The profile's own Coulomb friction (an identified profile's; 0 on the built-in ones) is part of the
        // rig, as on the ideal plant, and the level's friction comes on top of it.
        double weight = _totalMass * _gravity;
        _kineticFriction = (effects.CartCoulombNewtons + p.CartCoulombFrictionNewtons) / weight;
        _staticFriction = (Math.Max(effects.CartStictionNewtons, effects.CartCoulombNewtons) + p.CartCoulombFrictionNewtons) / weight;
        _pivotCoulomb = effects.PivotCoulombNewtonMeters + p.PivotCoulombFrictionNewtonMeters;
        _pivotStiction = Math.Max(effects.PivotStictionNewtonMeters, effects.PivotCoulombNewtonMeters) + p.PivotCoulombFrictionNewtonMeters;
        _trackHalfLength = p.TrackHalfLengthMeters;
        _endStop = p.TrackHalfLengthMeters + profile.EndStopOffsetMeters;
        StepSeconds = stepSeconds;
        _substepSeconds = stepSeconds / Substeps;
        _x = initialState.X;
        _xDot = initialState.XDot;
        _theta = initialState.Theta;
        _thetaDot = initialState.ThetaDot;
        MaxAbsCartPositionMeters = Math.Abs(initialState.X);
    }

    /// <inheritdoc />
    public double StepSeconds { get; }

    /// <inheritdoc />
    public CartPoleState State => new((float)_x, (float)_xDot, (float)_theta, (float)_thetaDot);

    /// <summary>The state in double precision: x, xDot, theta, thetaDot.</summary>
    public (double X, double XDot, double Theta, double ThetaDot) PreciseState => (_x, _xDot, _theta, _thetaDot);

    /// <summary>The track's normal force on the cart at the last substep, N (equation 3).</summary>
    public double NormalForceNewtons { get; private set; }

    /// <inheritdoc />
    public bool LeftTrack { get; private set; }

    /// <inheritdoc />
    public bool HitEndStop { get; private set; }

    /// <inheritdoc />
    public float MaxAbsCartPositionMeters { get; private set; }

    /// <inheritdoc />
    public void Step(float forceNewtons)
    {
        double force = float.IsNaN(forceNewtons) ? 0.0 : forceNewtons;
        for (int i = 0; i < Substeps; i++)
        {
            Substep(force);
        }

        double distance = Math.Abs(_x);
        if (distance >= _endStop)
        {
            HitEndStop = true; // an inelastic hit, as on the ideal plant
            _x = Math.Sign(_x) * _endStop;
            _xDot = 0;
            distance = _endStop;
        }

        LeftTrack |= distance > _trackHalfLength;
        MaxAbsCartPositionMeters = Math.Max(MaxAbsCartPositionMeters, (float)distance);
    }

    /// <inheritdoc />
    public void Push(float thetaDotChange) => _thetaDot += thetaDotChange;

    /// <inheritdoc />
    public void ResetTrackRecords()
    {
        LeftTrack = false;
        HitEndStop = false;
        MaxAbsCartPositionMeters = (float)Math.Abs(_x);
    }

    private void Substep(double force)
    {
        double sin = Math.Sin(_theta);
        double cos = Math.Cos(_theta);
        double ml = _poleMassLength;

        // Pivot: sliding, or stuck if the torque needed to hold it (with the cart accelerating as in the
        // last substep) is within the static friction.
        bool poleStuck = false;
        double pivotFriction = _pivotCoulomb * Math.Sign(_thetaDot);
        if (Math.Abs(_thetaDot) < StuckPoleSpeed)
        {
            double needed = ml * _gravity * sin - ml * cos * _lastCartAcceleration;
            poleStuck = Math.Abs(needed) <= _pivotStiction;
            pivotFriction = poleStuck ? 0 : _pivotCoulomb * Math.Sign(needed);
        }

        double poleRight = ml * _gravity * sin - _pivotDamping * _thetaDot - pivotFriction;
        double cartRightWithoutFriction = force - _cartDamping * _xDot + ml * sin * _thetaDot * _thetaDot;

        double xDDot;
        double thetaDDot;
        if (poleStuck)
        {
            // The pole moves with the cart as one body: thetaDDot = 0, (1) alone with N = (M + m) g - m l thetaDot^2 cos.
            thetaDDot = 0;
            double normal = _totalMass * _gravity - ml * _thetaDot * _thetaDot * cos;
            xDDot = CartAlone(cartRightWithoutFriction, normal);
            NormalForceNewtons = normal;
        }
        else if (Math.Abs(_xDot) < StuckCartSpeed && HoldsCart(cartRightWithoutFriction, poleRight, sin, cos, out thetaDDot))
        {
            xDDot = 0;
            _xDot = 0;
        }
        else
        {
            double direction = Math.Abs(_xDot) >= StuckCartSpeed
                ? Math.Sign(_xDot)
                : Math.Sign(cartRightWithoutFriction - ml * cos * poleRight / _inertia); // where the net force pushes it
            Solve(cartRightWithoutFriction, poleRight, sin, cos, direction, out xDDot, out thetaDDot);
        }

        _lastCartAcceleration = xDDot;
        double h = _substepSeconds;
        double newXDot = _xDot + h * xDDot;
        double newThetaDot = poleStuck ? 0 : _thetaDot + h * thetaDDot;

        // A velocity that crosses zero stops there, so the next substep runs the stick test.
        if (_kineticFriction > 0 && _xDot != 0 && Math.Sign(newXDot) != Math.Sign(_xDot))
        {
            newXDot = 0;
        }

        if (_pivotCoulomb > 0 && _thetaDot != 0 && Math.Sign(newThetaDot) != Math.Sign(_thetaDot))
        {
            newThetaDot = 0;
        }

        _xDot = newXDot;
        _thetaDot = newThetaDot;
        _x += h * _xDot;
        _theta += h * _thetaDot;
    }

    /// <summary>(1)-(2) with the cart sliding in <paramref name="direction"/>; the sign of N is re-checked (Florian).</summary>
    private void Solve(double cartRight, double poleRight, double sin, double cos, double direction, out double xDDot, out double thetaDDot)
    {
        double ml = _poleMassLength;
        xDDot = 0;
        thetaDDot = 0;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            // F_f = mu sgn(N) sgn(xDot) N with N from (3): its thetaDDot part moves to the left-hand side.
            double friction = _kineticFriction * _normalSign * direction;
            double a11 = _totalMass;
            double a12 = ml * cos - friction * ml * sin;
            double a21 = ml * cos;
            double a22 = _inertia;
            double r1 = cartRight - friction * (_totalMass * _gravity - ml * _thetaDot * _thetaDot * cos);
            double determinant = a11 * a22 - a12 * a21;
            xDDot = (r1 * a22 - a12 * poleRight) / determinant;
            thetaDDot = (a11 * poleRight - a21 * r1) / determinant;
            NormalForceNewtons = _totalMass * _gravity - ml * (thetaDDot * sin + _thetaDot * _thetaDot * cos);
            if (Math.Sign(NormalForceNewtons) == _normalSign || NormalForceNewtons == 0)
            {
                return;
            }

            _normalSign = -_normalSign;
        }
    }

    /// <summary>
    /// The stick test: with the cart held (xDDot = 0), (2) gives thetaDDot and (1) the friction force the
    /// track must supply; the cart stays if that is within mu_s |N|.
    /// </summary>
    private bool HoldsCart(double cartRight, double poleRight, double sin, double cos, out double thetaDDot)
    {
        double ml = _poleMassLength;
        thetaDDot = poleRight / _inertia;
        double needed = cartRight - ml * cos * thetaDDot;
        double normal = _totalMass * _gravity - ml * (thetaDDot * sin + _thetaDot * _thetaDot * cos);
        NormalForceNewtons = normal;
        return Math.Abs(needed) <= _staticFriction * Math.Abs(normal);
    }

    /// <summary>(1) with the pole locked to the cart: held by stiction, or sliding with kinetic friction.</summary>
    private double CartAlone(double cartRight, double normal)
    {
        if (Math.Abs(_xDot) < StuckCartSpeed && Math.Abs(cartRight) <= _staticFriction * Math.Abs(normal))
        {
            _xDot = 0;
            return 0;
        }

        double direction = Math.Abs(_xDot) >= StuckCartSpeed ? Math.Sign(_xDot) : Math.Sign(cartRight);
        return (cartRight - _kineticFriction * Math.Abs(normal) * direction) / _totalMass;
    }
}
