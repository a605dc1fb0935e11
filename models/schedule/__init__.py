"""Centers publish and maintain the sessions of the tours they host."""
