"""chuangkou (窗口): the platform a district administrative service center runs its windows on."""

__version__ = "0.1.0"
