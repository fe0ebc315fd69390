namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// State of the cart-pole: cart position and velocity, pole angle and angular velocity.
    /// theta = 0 is the pole upright, theta = +/-pi hanging down; theta grows when the pole's top
    /// moves toward +x. Plain fields, copied by value: 16 bytes.
    /// </summary>
    public struct CartPoleState
    {
        /// <summary>Cart position on the track, metres; 0 is the track centre.</summary>
        public float X;

        /// <summary>Cart velocity, metres per second.</summary>
        public float XDot;

        /// <summary>Pole angle from upright, radians (not wrapped).</summary>
        public float Theta;

        /// <summary>Pole angular velocity, radians per second.</summary>
        public float ThetaDot;

        /// <summary>Creates a state from its four components.</summary>
        public CartPoleState(float x, float xDot, float theta, float thetaDot)
        {
            X = x;
            XDot = xDot;
            Theta = theta;
            ThetaDot = thetaDot;
        }

        /// <summary>True when all four components are finite numbers.</summary>
        public bool IsFinite()
        {
            return Math.FloatMath.IsFinite(X) && Math.FloatMath.IsFinite(XDot)
                && Math.FloatMath.IsFinite(Theta) && Math.FloatMath.IsFinite(ThetaDot);
        }
    }
}
