"""Chinese labels in matplotlib and seaborn plots, on any machine.

Plots use Noto Sans SC (思源黑体), shipped as a font file in the PyPI package
``pylopdf-fonts-zh-cn`` (SIL Open Font License), so Chinese titles and labels render on a
fresh Linux machine without system fonts or internet, and on Windows or macOS alike.

Usage in a lesson::

    from crm_helpers.plotting import set_theme
    set_theme()            # seaborn theme + Chinese font; takes the usual seaborn arguments

Nothing happens at import: the font is registered on the first call.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

__all__ = ["FONT_FAMILY", "chinese_font_path", "set_theme", "use_chinese_font"]

#: The family name matplotlib knows the shipped font by.
FONT_FAMILY = "Noto Sans SC"
_FALLBACK = ["DejaVu Sans"]
_registered = False


def chinese_font_path() -> str:
    """Path of the shipped Noto Sans SC font file.

    Raises
    ------
    ImportError
        If the font package is not installed (with what to install, in Chinese).
    """
    try:
        files = resources.files("pylopdf_fonts_zh_cn")
    except ModuleNotFoundError as error:
        raise ImportError(
            "没有找到中文字体包 pylopdf-fonts-zh-cn（画图时中文会变成方框）。"
            "请运行 make lab（或 pip install pylopdf-fonts-zh-cn）安装。"
        ) from error
    return str(files.joinpath("NotoSansSC-Regular.otf"))


def _font_rc() -> dict[str, Any]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY, *_FALLBACK],
        "axes.unicode_minus": False,  # the Unicode minus sign is not in every font
    }


def use_chinese_font() -> str:
    """Register the Chinese font with matplotlib and make it the default (使用中文字体).

    Safe to call many times.

    Returns
    -------
    str
        The font family name, ``"Noto Sans SC"``.
    """
    global _registered
    import matplotlib as mpl
    from matplotlib import font_manager

    if not _registered:
        font_manager.fontManager.addfont(chinese_font_path())
        _registered = True
    mpl.rcParams.update(_font_rc())
    return FONT_FAMILY


def set_theme(**kwargs: Any) -> None:
    """:func:`seaborn.set_theme` that keeps the Chinese font (设置图表主题).

    ``seaborn.set_theme`` resets the font list; this passes the Chinese font along with
    whatever you give it.

    Parameters
    ----------
    **kwargs
        Passed to :func:`seaborn.set_theme` (``style``, ``palette``, ``context`` …).  An
        ``rc`` dict is merged with the font settings; a ``font`` argument is ignored in
        favour of the Chinese font.
    """
    import seaborn as sns

    use_chinese_font()
    rc = dict(kwargs.pop("rc", None) or {})
    kwargs.pop("font", None)
    rc.update(_font_rc())
    sns.set_theme(font="sans-serif", rc=rc, **kwargs)
