"""Operating-system errors in Chinese: a clerk reads 「没有读取权限」, not "[Errno 13] Permission denied"."""
from __future__ import annotations

import errno
import stat

_TEXT = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "操作不被允许（权限不足）",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.ELOOP: "符号链接循环（链接最终指向自身）",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统只读",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.EIO: "读写设备出错（输入输出错误）",
    errno.EBUSY: "文件或设备正忙",
    errno.ETXTBSY: "文件正被其他程序使用",
    errno.EEXIST: "文件已存在",
    errno.EXDEV: "不能跨文件系统移动文件",
    errno.EINVAL: "无效的参数（文件名中可能有系统不允许的字符）",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
    errno.EFBIG: "文件过大",
    errno.EAGAIN: "资源暂时不可用",
    errno.ENOMEM: "内存不足",
}


def describe(exc: OSError) -> str:
    """The error in Chinese, with the system's own code for a search when it is not one of the common ones."""
    if exc.errno in _TEXT:
        return _TEXT[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"系统错误（{name}：{exc.strerror}）" if name else f"系统错误：{exc.strerror or exc}"


_KINDS = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"), (stat.S_ISSOCK, "套接字"))


def not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read as a report (reading a pipe would wait forever), or None for a
    regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    return f"不是普通文件（{kind}），无法检查"
