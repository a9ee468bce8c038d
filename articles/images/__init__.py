"""The photo library: the models, the display copy and renditions made with Pillow, uploads
and the newsroom's thumbnails."""
