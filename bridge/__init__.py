"""soundalike's OSC bridge: the engine as a live service for DAWs and Pure Data."""
