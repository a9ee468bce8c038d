"""What the benches and the drill share: processes, scratch servers, the site's environment."""
