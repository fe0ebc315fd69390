namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// State of the cart-pole: cart position and velocity, pole angle and angular velocity.
    /// theta = 0 is the pole upright, theta = +/-pi hanging down; theta grows when the pole's top
    /// moves toward +x. Plain fields: 16 bytes. On nanoFramework's interpreter every instance outside a
    /// field or array is a heap block, so the tick path keeps states in fields and passes them by ref.
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

        /// <summary>
        /// Sets all four components. Called on a field or through a ref (<c>_state.Set(...)</c>), it writes in
        /// place; <c>_state = new CartPoleState(...)</c> would build a temporary, a heap block on nanoFramework.
        /// </summary>
        public void Set(float x, float xDot, float theta, float thetaDot)
        {
            X = x;
            XDot = xDot;
            Theta = theta;
            ThetaDot = thetaDot;
        }

        /// <summary>Copies <paramref name="source"/> field by field (a by-value struct copy is a heap block on nanoFramework).</summary>
        public void CopyFrom(ref CartPoleState source)
        {
            X = source.X;
            XDot = source.XDot;
            Theta = source.Theta;
            ThetaDot = source.ThetaDot;
        }

        /// <summary>True when all four components are finite numbers.</summary>
        public bool IsFinite()
        {
            return Math.FloatMath.IsFinite(X) && Math.FloatMath.IsFinite(XDot)
                && Math.FloatMath.IsFinite(Theta) && Math.FloatMath.IsFinite(ThetaDot);
        }
    }
}
